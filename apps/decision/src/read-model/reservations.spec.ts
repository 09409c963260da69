import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledPolicy, parseAccessPolicy } from '@metergate/policy';
import fc from 'fast-check';
import { Reservations } from './reservations';
import { UsageStore } from './usage-store';

const policy = new CompiledPolicy(
  parseAccessPolicy(
    JSON.parse(readFileSync(join(__dirname, '../../../../config/access-policy.json'), 'utf8')),
  ),
);
const SCOPE = policy.scope(policy.indexOf('generate'), 0);
const SCOPES = policy.scopesOf(policy.indexOf('generate'), 0);
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

function setup(capacity = 10) {
  const usage = new UsageStore(policy);
  const reservations = new Reservations(usage, capacity);
  const reserved = (row: number) => {
    usage.row = row;
    return usage.reserved(SCOPE);
  };
  const hold = (row: number, id: string, chars: number, untilMs = T0 + 600_000) =>
    reservations.add(row, id, SCOPES, chars, untilMs);
  return { reservations, reserved, hold };
}

describe('Reservations', () => {
  it('holds characters until settled, and settles each reservation once', () => {
    const { reservations, reserved, hold } = setup();
    expect(hold(0, 'r1', 500)).toBe(true);
    expect(hold(0, 'r1', 500)).toBe(true);
    expect(reserved(0)).toBe(500);
    expect(reservations.size).toBe(1);
    expect(reservations.get(0, 'r1')).toEqual({ chars: 500, untilMs: T0 + 600_000 });
    expect(reservations.get(1, 'r1')).toBeUndefined();
    expect(reservations.settle(1, 'r1')).toBe(false);
    expect(reservations.settle(0, 'r1')).toBe(true);
    expect(reservations.settle(0, 'r1')).toBe(false);
    expect(reserved(0)).toBe(0);
    expect(reservations.size).toBe(0);
    expect(reservations.rowsHolding('r1')).toEqual([]);
  });

  it('finds by request id the reservations of every organization using it, and forgets each when settled', () => {
    const { reservations, hold } = setup();
    hold(0, 'shared', 100);
    hold(1, 'shared', 200);
    hold(2, 'shared', 300);
    hold(0, 'own', 400);
    const rowsOf = (id: string) => reservations.rowsHolding(id).sort();
    expect(rowsOf('shared')).toEqual([0, 1, 2]);
    expect(rowsOf('own')).toEqual([0]);
    expect(reservations.get(1, 'shared')?.chars).toBe(200);
    reservations.settle(1, 'shared');
    expect(rowsOf('shared')).toEqual([0, 2]);
    expect(reservations.get(1, 'shared')).toBeUndefined();
    expect(reservations.get(2, 'shared')?.chars).toBe(300);
    reservations.settle(0, 'shared');
    expect(rowsOf('shared')).toEqual([2]);
    reservations.settle(2, 'shared');
    expect(rowsOf('shared')).toEqual([]);
    expect(rowsOf('own')).toEqual([0]);
    expect(reservations.size).toBe(1);
  });

  it('ends reservations whose time is up, oldest first, and refuses new ones beyond its capacity', () => {
    const { reservations, reserved, hold } = setup(2);
    hold(0, 'r1', 100, T0 + 1000);
    hold(0, 'r2', 200, T0 + 2000);
    expect(reservations.full).toBe(true);
    expect(hold(0, 'r3', 300, T0 + 3000)).toBe(false);
    expect(reservations.dropped).toBe(1);
    expect(reservations.expire(T0 + 1500)).toBe(1);
    expect(reserved(0)).toBe(200);
    expect(reservations.rowsHolding('r1')).toEqual([]);
    expect(reservations.expire(T0 + 2500)).toBe(1);
    expect(reservations.size).toBe(0);
    expect(reserved(0)).toBe(0);
  });

  it('passes over settled reservations when expiring, and ends a later one of the same call only at its own time', () => {
    const { reservations, reserved, hold } = setup();
    hold(0, 'r1', 100, T0 + 1000);
    hold(0, 'r2', 200, T0 + 2000);
    reservations.settle(0, 'r1');
    hold(0, 'r1', 50, T0 + 5000);
    expect(reservations.expire(T0 + 2500)).toBe(1);
    expect(reservations.get(0, 'r1')?.chars).toBe(50);
    expect(reserved(0)).toBe(50);
    expect(reservations.expire(T0 + 5000)).toBe(1);
    expect(reservations.size).toBe(0);
    expect(reserved(0)).toBe(0);
  });

  it('holds what a Map of (row, request id) would, through growth and removals, whatever the order', () => {
    // Few ids over several rows: long runs of one id in the table, removals from their middle.
    const op = fc.record({
      kind: fc.constantFrom('add', 'settle', 'expire'),
      row: fc.integer({ min: 0, max: 5 }),
      id: fc.integer({ min: 0, max: 40 }).map((n) => `call-${n}`),
      chars: fc.integer({ min: 1, max: 1_000_000_000 }),
      at: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const { reservations, reserved, hold } = setup(10_000);
        type Held = { row: number; id: string; chars: number; untilMs: number };
        const model = new Map<string, Held>();
        // The expiry order the table keeps: opened first, looked at first; settled ones passed over.
        const queue: [string, Held][] = [];
        for (const { kind, row, id, chars, at } of ops) {
          const key = `${row}/${id}`;
          if (kind === 'add') {
            expect(hold(row, id, chars, T0 + at)).toBe(true);
            if (!model.has(key)) {
              const held = { row, id, chars, untilMs: T0 + at };
              model.set(key, held);
              queue.push([key, held]);
            }
          } else if (kind === 'settle') {
            expect(reservations.settle(row, id)).toBe(model.delete(key));
          } else {
            let ended = 0;
            while (queue.length > 0) {
              const [head, held] = queue[0];
              const open = model.get(head) === held;
              if (open && held.untilMs > T0 + at) break;
              if (open) {
                model.delete(head);
                ended += 1;
              }
              queue.shift();
            }
            expect(reservations.expire(T0 + at)).toBe(ended);
          }
          for (const held of model.values()) {
            expect(reservations.get(held.row, held.id)).toEqual({ chars: held.chars, untilMs: held.untilMs });
          }
          expect(reservations.size).toBe(model.size);
        }
        for (let r = 0; r <= 5; r += 1) {
          const sum = [...model.values()].filter((h) => h.row === r).reduce((n, h) => n + h.chars, 0);
          expect(reserved(r)).toBe(sum);
        }
        for (const { id } of model.values()) {
          const rows = [...model.values()].filter((h) => h.id === id).map((h) => h.row);
          expect(reservations.rowsHolding(id).sort()).toEqual(rows.sort());
        }
        reservations.expire(T0 + 20_000);
        expect(reservations.size).toBe(0);
        for (let r = 0; r <= 5; r += 1) expect(reserved(r)).toBe(0);
      }),
    );
  });
});

describe('Reservations, committed long before their end', () => {
  it('keep an expiry queue about as long as what is open, and still end what is open at its time', () => {
    const { reservations, reserved, hold } = setup(100_000);
    const expiring = () => (reservations as unknown as { queue: { length: number } }).queue.length;
    hold(0, 'long', 7, T0 + 600_000);
    for (let i = 0; i < 10_000; i += 1) {
      hold(1, `call-${i}`, 100, T0 + 600_000 + i);
      reservations.settle(1, `call-${i}`);
      if (i % 1000 === 0) reservations.expire(T0 + i);
    }
    reservations.expire(T0 + 10_000);
    expect(reservations.size).toBe(1);
    expect(expiring()).toBeLessThan(1100);
    expect(reservations.expire(T0 + 600_000)).toBe(1);
    expect(reserved(0)).toBe(0);
    expect(reserved(1)).toBe(0);
  });
});
