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
});
