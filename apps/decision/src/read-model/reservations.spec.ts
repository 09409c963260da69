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
    expect(reservations.add(reservation(0, 'org-a', 'r1', 500))).toBe(true);
    expect(reservations.add(reservation(0, 'org-a', 'r1', 500))).toBe(true);
    expect(reserved(0)).toBe(500);
    expect(reservations.size).toBe(1);
    expect(reservations.get('org-a', 'r1')?.chars).toBe(500);
    expect(reservations.get('org-b', 'r1')).toBeUndefined();
    expect(reservations.settle('org-b', 'r1')).toBeUndefined();
    expect(reservations.settle('org-a', 'r1')?.chars).toBe(500);
    expect(reservations.settle('org-a', 'r1')).toBeUndefined();
    expect(reserved(0)).toBe(0);
    expect(reservations.size).toBe(0);
    expect(reservations.byRequestId('r1')).toEqual([]);
  });

  it('finds by request id the reservations of every organization using it, and forgets each when settled', () => {
    const { reservations, reservation } = setup();
    reservations.add(reservation(0, 'org-a', 'shared', 100));
    reservations.add(reservation(1, 'org-b', 'shared', 200));
    reservations.add(reservation(2, 'org-c', 'shared', 300));
    reservations.add(reservation(0, 'org-a', 'own', 400));
    const orgsOf = (id: string) =>
      reservations
        .byRequestId(id)
        .map((r) => r.orgId)
        .sort();
    expect(orgsOf('shared')).toEqual(['org-a', 'org-b', 'org-c']);
    expect(orgsOf('own')).toEqual(['org-a']);
    expect(reservations.get('org-b', 'shared')?.chars).toBe(200);
    reservations.settle('org-b', 'shared');
    expect(orgsOf('shared')).toEqual(['org-a', 'org-c']);
    expect(reservations.get('org-b', 'shared')).toBeUndefined();
    expect(reservations.get('org-c', 'shared')?.chars).toBe(300);
    reservations.settle('org-a', 'shared');
    expect(orgsOf('shared')).toEqual(['org-c']);
    reservations.settle('org-c', 'shared');
    expect(orgsOf('shared')).toEqual([]);
    expect(orgsOf('own')).toEqual(['org-a']);
    expect(reservations.size).toBe(1);
  });

  it('ends reservations whose time is up, oldest first, and refuses new ones beyond its capacity', () => {
    const { reservations, reserved, reservation } = setup(2);
    reservations.add(reservation(0, 'org-a', 'r1', 100, T0 + 1000));
    reservations.add(reservation(0, 'org-a', 'r2', 200, T0 + 2000));
    expect(reservations.full).toBe(true);
    expect(reservations.add(reservation(0, 'org-a', 'r3', 300, T0 + 3000))).toBe(false);
    expect(reservations.dropped).toBe(1);
    expect(reservations.expire(T0 + 1500)).toBe(1);
    expect(reserved(0)).toBe(200);
    expect(reservations.byRequestId('r1')).toEqual([]);
    expect(reservations.expire(T0 + 2500)).toBe(1);
    expect(reservations.size).toBe(0);
    expect(reserved(0)).toBe(0);
  });

  it('passes over settled reservations when expiring, and ends a later one of the same call only at its own time', () => {
    const { reservations, reserved, reservation } = setup();
    reservations.add(reservation(0, 'org-a', 'r1', 100, T0 + 1000));
    reservations.add(reservation(0, 'org-a', 'r2', 200, T0 + 2000));
    reservations.settle('org-a', 'r1');
    reservations.add(reservation(0, 'org-a', 'r1', 50, T0 + 5000));
    expect(reservations.expire(T0 + 2500)).toBe(1);
    expect(reservations.get('org-a', 'r1')?.chars).toBe(50);
    expect(reserved(0)).toBe(50);
    expect(reservations.expire(T0 + 5000)).toBe(1);
    expect(reservations.size).toBe(0);
    expect(reserved(0)).toBe(0);
  });
});

describe('Reservations, committed long before their end', () => {
  it('keep an expiry queue about as long as what is open, and still end what is open at its time', () => {
    const { reservations, reserved, reservation } = setup(100_000);
    const expiring = () => (reservations as unknown as { expiring: Reservation[] }).expiring.length;
    reservations.add(reservation(0, 'org-a', 'long', 7, T0 + 600_000));
    for (let i = 0; i < 10_000; i += 1) {
      reservations.add(reservation(1, 'org-b', `call-${i}`, 100, T0 + 600_000 + i));
      reservations.settle('org-b', `call-${i}`);
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
