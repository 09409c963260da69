import fc from 'fast-check';
import { hashId } from './id-hash';
import { IdFlags, IdMemory } from './id-memory';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const HOUR = 3_600_000;
const hash = (id: string) => hashId('org', id, { hi: 0, lo: 0 });

describe('IdMemory', () => {
  it('remembers flags and answers per (organization, id)', () => {
    const memory = new IdMemory({ capacity: 10_000, retentionMs: 8 * HOUR }, T0);
    memory.set(hash('a'), IdFlags.admitted, 42, T0);
    expect(memory.flags(hash('a'))).toBe(IdFlags.admitted);
    expect(memory.answer(hash('a'))).toBe(42);
    expect(memory.flags(hash('b'))).toBe(0);
    expect(memory.flags(hashId('other-org', 'a', { hi: 0, lo: 0 }))).toBe(0);
    memory.set(hash('a'), IdFlags.admitted | IdFlags.usage, undefined, T0);
    expect(memory.flags(hash('a'))).toBe(IdFlags.admitted | IdFlags.usage);
    expect(memory.answer(hash('a'))).toBe(42);
  });

  it('keeps ids for the retention, then forgets them and says up to when', () => {
    const memory = new IdMemory({ capacity: 10_000, retentionMs: 8 * HOUR }, T0);
    memory.set(hash('old'), IdFlags.usage, undefined, T0);
    for (let h = 1; h <= 8; h += 1) memory.set(hash(`at-${h}`), IdFlags.usage, undefined, T0 + h * HOUR);
    memory.expire(T0 + 8 * HOUR);
    expect(memory.flags(hash('old'))).toBe(IdFlags.usage);
    // Ids go a generation at a time: at most a quarter of the retention late.
    memory.expire(T0 + 10 * HOUR);
    expect(memory.flags(hash('old'))).toBe(0);
    expect(memory.forgottenUpToMs).toBeGreaterThanOrEqual(T0);
    expect(memory.flags(hash('at-8'))).toBe(IdFlags.usage);
    expect(memory.droppedEarly).toBe(0);
  });

  it('stays within its capacity by dropping the oldest ids early, and says so', () => {
    const memory = new IdMemory({ capacity: 10_240, retentionMs: 8 * HOUR }, T0);
    for (let i = 0; i < 50_000; i += 1) memory.set(hash(`id-${i}`), IdFlags.usage, undefined, T0 + i);
    expect(memory.size).toBeLessThanOrEqual(memory.capacity);
    expect(memory.flags(hash('id-49999'))).toBe(IdFlags.usage);
    expect(memory.flags(hash('id-0'))).toBe(0);
    expect(memory.droppedEarly).toBeGreaterThan(0);
    expect(memory.forgottenUpToMs).toBeGreaterThan(T0);
  });

  it('answers as a plain map of ids would, across generations, whatever the order of lookups and sets', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        id: fc.nat(40),
        flags: fc.integer({ min: 1, max: 127 }),
        answer: fc.option(fc.nat(), { nil: undefined }),
      }),
      fc.record({ kind: fc.constant('read' as const), id: fc.nat(40) }),
      // A new generation starts when the newest is a quarter of the retention old: at most three here,
      // so that none is dropped and the map stays the whole truth.
      fc.record({ kind: fc.constant('age' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const memory = new IdMemory({ capacity: 100_000, retentionMs: 8 * HOUR }, T0);
        const model = new Map<number, { flags: number; answer: number }>();
        let now = T0;
        let aged = 0;
        for (const o of ops) {
          if (o.kind === 'age') {
            if (aged < 3) now += 2 * HOUR;
            aged += 1;
          } else if (o.kind === 'set') {
            memory.set(hash(`id-${o.id}`), o.flags, o.answer, now);
            const answer = o.answer ?? model.get(o.id)?.answer ?? 0;
            model.set(o.id, { flags: o.flags, answer });
          } else {
            const known = model.get(o.id);
            expect(memory.flags(hash(`id-${o.id}`))).toBe(known?.flags ?? 0);
            expect(memory.answer(hash(`id-${o.id}`))).toBe(known?.answer ?? 0);
          }
        }
        for (const [id, known] of model) expect(memory.flags(hash(`id-${id}`))).toBe(known.flags);
      }),
    );
  });
});
