import { CopyRow } from './copy-rows';

const row = (line: string) => {
  const r = new CopyRow();
  const buffer = Buffer.from(`${line}\n`, 'utf8');
  r.set(buffer, 0, buffer.length - 1);
  return r;
};

describe('CopyRow', () => {
  it('reads identifiers, integers and NULLs of a COPY text line', () => {
    const r = row('org_1\tgenerate\t1795947600000\t\\N\t0');
    expect([r.ascii(0), r.ascii(1), r.integer(2), r.isNull(3), r.isNull(4), r.integer(4)]).toEqual([
      'org_1',
      'generate',
      1795947600000,
      true,
      false,
      0,
    ]);
  });

  it('undoes the escapes of text fields', () => {
    expect(row('{"a": "x\\\\ty"}\tline\\nbreak\té').text(0)).toBe('{"a": "x\\ty"}');
    expect(row('{"a": "x\\\\ty"}\tline\\nbreak\té').text(1)).toBe('line\nbreak');
    expect(row('{"a": "x\\\\ty"}\tline\\nbreak\té').text(2)).toBe('é');
  });

  it('compares a field with a literal in place', () => {
    const r = row('{}\t[]\t{"a":1}');
    expect([r.is(0, '{}'), r.is(1, '[]'), r.is(1, '{}'), r.is(2, '{}'), r.is(2, '{"a":1}')]).toEqual([
      true,
      true,
      false,
      false,
      true,
    ]);
  });

  it('gives a name from the pool when the pool holds it, and pools only ASCII names', () => {
    const pool: string[] = [];
    const first = row('generate\tembed\tgenerate\té\té');
    const generate = first.pooled(0, pool);
    expect(generate).toBe('generate');
    expect(first.pooled(1, pool)).toBe('embed');
    expect(first.pooled(2, pool)).toBe(generate);
    expect(first.pooled(3, pool)).toBe('é');
    expect(first.pooled(4, pool)).toBe('é');
    expect(pool).toEqual(['generate', 'embed']);
    // A name is not taken for a longer or shorter field that starts like it.
    expect(row('gen\tgenerated').pooled(0, pool)).toBe('gen');
    expect(row('gen\tgenerated').pooled(1, pool)).toBe('generated');
    // Latin-1 text whose code units equal the UTF-8 bytes of another name must not stand for it.
    const latin = ['\u00c3\u00a9'];
    expect(row('é').pooled(0, latin)).toBe('é');
  });
});
