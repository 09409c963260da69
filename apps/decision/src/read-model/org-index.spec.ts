import fc from 'fast-check';
import { OrgIndex } from './org-index';

/** Ids as the contracts allow them, and any other text (an index must not depend on validation). */
const identifier = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const anyId = fc.oneof(identifier, fc.string({ minLength: 0, maxLength: 20, unit: 'binary' }));

type Step = { kind: 'add' | 'addBytes' | 'rowOf' | 'rowOfBytes'; id: string };
const step = fc.record({
  kind: fc.constantFrom<Step['kind']>('add', 'addBytes', 'rowOf', 'rowOfBytes'),
  id: anyId,
});

/** The id's UTF-8 bytes inside a larger buffer, as a COPY row holds a field. */
function inBuffer(id: string): [Buffer, number, number] {
  const bytes = Buffer.from(id, 'utf8');
  const buffer = Buffer.concat([Buffer.from('x\t'), bytes, Buffer.from('\ty\n')]);
  return [buffer, 2, 2 + bytes.length];
}

describe('OrgIndex', () => {
  it('gives the rows a Map would, by string or by bytes, and each row its id, whatever the ids and their order', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const index = new OrgIndex();
        const model = new Map<string, number>();
        for (const { kind, id } of steps) {
          // A string that is not valid UTF-16 has no bytes of its own: its bytes name another id.
          if (Buffer.from(id, 'utf8').toString('utf8') !== id) continue;
          const expected = kind.startsWith('add') ? (model.get(id) ?? model.size) : (model.get(id) ?? -1);
          if (kind.startsWith('add') && !model.has(id)) model.set(id, model.size);
          const got =
            kind === 'add'
              ? index.add(id)
              : kind === 'addBytes'
                ? index.addBytes(...inBuffer(id))
                : kind === 'rowOf'
                  ? index.rowOf(id)
                  : index.rowOfBytes(...inBuffer(id));
          expect(got).toBe(expected);
        }
        expect(index.size).toBe(model.size);
        for (const [id, row] of model) expect(index.idOf(row)).toBe(id);
      }),
    );
  });

  it('holds a hundred thousand ids through its growth, each at its own row', () => {
    const index = new OrgIndex();
    const ids = Array.from({ length: 100_000 }, (_, i) => `org_${(i * 2654435761) % 4294967296}_${i}`);
    ids.forEach((id, i) => expect(index.add(id)).toBe(i));
    ids.forEach((id, i) => {
      expect(index.rowOf(id)).toBe(i);
      expect(index.rowOfBytes(...inBuffer(id))).toBe(i);
      expect(index.idOf(i)).toBe(id);
    });
    expect(index.rowOf('org_unknown')).toBe(-1);
    expect(index.size).toBe(100_000);
  });
});
