import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledPolicy, parseAccessPolicy } from '@metergate/policy';
import { Reservation, Reservations } from './reservations';
import { UsageStore } from './usage-store';

const policy = new CompiledPolicy(
  parseAccessPolicy(
    JSON.parse(readFileSync(join(__dirname, '../../../../config/access-policy.json'), 'utf8')),
  ),
);
const SCOPE = policy.scope(policy.indexOf('generate'), 0);
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

function setup(capacity = 10) {
  const usage = new UsageStore(policy);
  const reservations = new Reservations(usage, capacity);
  const reserved = (row: number) => {
    usage.row = row;
    return usage.reserved(SCOPE);
  };
  const reservation = (row: number, orgId: string, id: string, chars: number, untilMs = T0 + 600_000) =>
    ({ orgId, id, row, scopes: [SCOPE], chars, untilMs }) satisfies Reservation;
  return { reservations, reserved, reservation };
}

describe('Reservations', () => {
  it('holds characters until settled, and settles each reservation once', () => {
    const { reservations, reserved, reservation } = setup();
    expect(reservations.add(1, reservation(0, 'org-a', 'r1', 500))).toBe(true);
    expect(reservations.add(1, reservation(0, 'org-a', 'r1', 500))).toBe(true);
    expect(reserved(0)).toBe(500);
    expect(reservations.settle(1)?.chars).toBe(500);
    expect(reservations.settle(1)).toBeUndefined();
    expect(reserved(0)).toBe(0);
    expect(reservations.byRequestId('r1')).toEqual([]);
  });

  it('finds by request id the reservations of every organization using it, and forgets each when settled', () => {
    const { reservations, reservation } = setup();
    reservations.add(1, reservation(0, 'org-a', 'shared', 100));
    reservations.add(2, reservation(1, 'org-b', 'shared', 200));
    reservations.add(3, reservation(2, 'org-c', 'shared', 300));
    reservations.add(4, reservation(0, 'org-a', 'own', 400));
    const orgsOf = (id: string) =>
      reservations
        .byRequestId(id)
        .map((r) => r.orgId)
        .sort();
    expect(orgsOf('shared')).toEqual(['org-a', 'org-b', 'org-c']);
    expect(orgsOf('own')).toEqual(['org-a']);
    reservations.settle(2);
    expect(orgsOf('shared')).toEqual(['org-a', 'org-c']);
    reservations.settle(1);
    expect(orgsOf('shared')).toEqual(['org-c']);
    reservations.settle(3);
    expect(orgsOf('shared')).toEqual([]);
    expect(orgsOf('own')).toEqual(['org-a']);
  });

  it('ends reservations whose time is up, oldest first, and refuses new ones beyond its capacity', () => {
    const { reservations, reserved, reservation } = setup(2);
    reservations.add(1, reservation(0, 'org-a', 'r1', 100, T0 + 1000));
    reservations.add(2, reservation(0, 'org-a', 'r2', 200, T0 + 2000));
    expect(reservations.full).toBe(true);
    expect(reservations.add(3, reservation(0, 'org-a', 'r3', 300, T0 + 3000))).toBe(false);
    expect(reservations.dropped).toBe(1);
    expect(reservations.expire(T0 + 1500)).toBe(1);
    expect(reserved(0)).toBe(200);
    expect(reservations.byRequestId('r1')).toEqual([]);
    expect(reservations.expire(T0 + 2500)).toBe(1);
    expect(reservations.size).toBe(0);
    expect(reserved(0)).toBe(0);
  });
});
