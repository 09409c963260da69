import fc from 'fast-check';
import { CallFact, CallRecord, countCall } from './call-counting';

type Place = string;

/** Applies facts in order; returns the record and every unit added per place, reservations included. */
function apply(facts: CallFact<Place>[], start?: CallRecord<Place>) {
  let record = start;
  const totals = new Map<Place, { calls: number; chars: number }>();
  let reserved = 0;
  for (const fact of facts) {
    const outcome = countCall(record, fact);
    record = outcome.record;
    for (const e of outcome.effects) {
      const t = totals.get(e.at) ?? { calls: 0, chars: 0 };
      totals.set(e.at, { calls: t.calls + e.calls, chars: t.chars + e.chars });
    }
    if (outcome.opened) reserved += outcome.opened.chars;
    if (outcome.settled) reserved -= outcome.settled.chars;
  }
  return { record, totals: Object.fromEntries([...totals].filter(([, t]) => t.calls || t.chars)), reserved };
}

const admission = (hits = 1, chars = 0): CallFact<Place> => ({
  kind: 'admission',
  at: 'admitted-here',
  hits,
  ...(chars > 0 && { reserve: { chars, untilMs: 1_000 } }),
});
const usage = (chars: number): CallFact<Place> => ({ kind: 'usage', at: 'reported-here', chars });
const release: CallFact<Place> = { kind: 'release' };

describe('counting a call once', () => {
  it('counts an admitted call where it was admitted and its characters where they were reported', () => {
    expect(apply([admission(), usage(120)]).totals).toEqual({
      'admitted-here': { calls: 1, chars: 0 },
      'reported-here': { calls: 0, chars: 120 },
    });
  });

  it('moves a call its usage event counted first to its admission', () => {
    expect(apply([usage(120), admission(3)]).totals).toEqual({
      'admitted-here': { calls: 3, chars: 0 },
      'reported-here': { calls: 0, chars: 120 },
    });
  });

  it('counts a call reported without an admission where it was reported', () => {
    expect(apply([usage(7)]).totals).toEqual({ 'reported-here': { calls: 1, chars: 7 } });
  });

  it('holds a reservation until the usage event settles it', () => {
    expect(apply([admission(1, 500)]).reserved).toBe(500);
    expect(apply([admission(1, 500), usage(320)])).toMatchObject({
      reserved: 0,
      totals: { 'reported-here': { chars: 320 } },
    });
  });

  it('releases a reservation once, and a usage event after it still counts its characters', () => {
    const released = apply([admission(1, 500), release, release]);
    expect(released.reserved).toBe(0);
    expect(apply([admission(1, 500), release, usage(10)]).totals['reported-here']).toEqual({
      calls: 0,
      chars: 10,
    });
  });

  it('reserves nothing for an admission whose usage event came first', () => {
    expect(apply([usage(10), admission(1, 500)]).reserved).toBe(0);
  });

  it('finds nothing to release for a call without a reservation', () => {
    expect(countCall(undefined, release).unchanged).toBe(true);
    expect(countCall(apply([admission()]).record, release).unchanged).toBe(true);
  });

  const fact = fc.oneof(
    fc
      .record({ hits: fc.integer({ min: 1, max: 5 }), chars: fc.integer({ min: 0, max: 1000 }) })
      .map(({ hits, chars }) => admission(hits, chars)),
    fc.integer({ min: 0, max: 1000 }).map(usage),
    fc.constant(release),
  );

  it('changes nothing when the same facts are applied twice, in any order of redelivery', () => {
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 8 }), (facts) => {
        const once = apply(facts);
        const twice = apply([...facts, ...facts]);
        const again = apply(facts, once.record);
        // Redelivered facts add nothing on top of what the first delivery counted.
        expect(again.totals).toEqual({});
        expect(twice.totals).toEqual(once.totals);
      }),
    );
  });

  it('counts the call exactly once and the characters of the first usage event, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (hits, chars, usageFirst) => {
          const facts = usageFirst ? [usage(chars), admission(hits)] : [admission(hits), usage(chars)];
          const { totals } = apply(facts);
          const calls = Object.values(totals).reduce((sum, t) => sum + t.calls, 0);
          const counted = Object.values(totals).reduce((sum, t) => sum + t.chars, 0);
          expect(calls).toBe(hits);
          expect(counted).toBe(chars);
        },
      ),
    );
  });
});
