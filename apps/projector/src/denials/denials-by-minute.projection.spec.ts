import { CallsDeniedV1, DenialCount } from '@metergate/contracts';
import { denialRows } from './denials-by-minute.projection';

const record = (id: string, replicaId: string, minute: string, denials: DenialCount[]): CallsDeniedV1 => ({
  type: 'calls.denied',
  version: 1,
  id,
  occurredAt: minute,
  recordedAt: minute,
  payload: { replicaId, minute, denials },
});

const a1 = record('r1', 'replica-a', '2026-11-28T10:05:00Z', [
  { orgId: 'acme', reason: 'rate_limited', count: 20 },
  { orgId: 'acme', reason: 'quota_exhausted', count: 1 },
]);
const a2 = record('r2', 'replica-a', '2026-11-28T10:06:00.000Z', [
  { orgId: 'acme', reason: 'rate_limited', count: 4 },
]);
const b1 = record('r3', 'replica-b', '2026-11-28T10:05:00.000Z', [
  { orgId: 'acme', reason: 'rate_limited', count: 7 },
]);

describe('projecting denial counts to denials_by_minute rows', () => {
  it("keeps one row per replica's count, minute by minute, in primary key order", () => {
    expect(denialRows([a2, b1, a1])).toEqual([
      {
        minute: '2026-11-28T10:05:00.000Z',
        orgId: 'acme',
        reason: 'quota_exhausted',
        replicaId: 'replica-a',
        count: 1,
      },
      {
        minute: '2026-11-28T10:05:00.000Z',
        orgId: 'acme',
        reason: 'rate_limited',
        replicaId: 'replica-a',
        count: 20,
      },
      {
        minute: '2026-11-28T10:05:00.000Z',
        orgId: 'acme',
        reason: 'rate_limited',
        replicaId: 'replica-b',
        count: 7,
      },
      {
        minute: '2026-11-28T10:06:00.000Z',
        orgId: 'acme',
        reason: 'rate_limited',
        replicaId: 'replica-a',
        count: 4,
      },
    ]);
  });

  it('gives the same rows when the same records are applied twice', () => {
    expect(denialRows([a1, a2, b1, a1, a2, b1])).toEqual(denialRows([a1, a2, b1]));
  });

  it('does not add a record sent again under a new id (a flush retried after a lost acknowledgement)', () => {
    const resent = { ...a1, id: 'r1-again' };
    expect(denialRows([a1, resent])).toEqual(denialRows([a1]));
  });

  it('keeps the larger count of a key met twice with different counts, whatever the order', () => {
    const smaller = record('r4', 'replica-a', '2026-11-28T10:06:00.000Z', [
      { orgId: 'acme', reason: 'rate_limited', count: 2 },
    ]);
    expect(denialRows([a2, smaller])).toEqual(denialRows([a2]));
    expect(denialRows([smaller, a2])).toEqual(denialRows([a2]));
  });

  it('gives nothing for an empty batch', () => {
    expect(denialRows([])).toEqual([]);
  });
});
