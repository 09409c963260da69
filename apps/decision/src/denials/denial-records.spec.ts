import { decodeCallsDeniedV1, decodeJson } from '@metergate/contracts';
import { DENIALS_PER_RECORD, denialRecords } from './denial-records';

const minuteMs = Date.parse('2026-11-28T10:05:00.000Z');
let ids = 0;
const recordId = () => `record-${(ids += 1)}`;

describe('denialRecords', () => {
  it('makes one valid record per minute, keyed by the replica, with each minute as it was counted', () => {
    const records = denialRecords(
      [
        { minuteMs, denials: [{ orgId: 'acme', reason: 'rate_limited', count: 20 }] },
        {
          minuteMs: minuteMs + 60_000,
          denials: [
            { orgId: 'acme', reason: 'rate_limited', count: 2 },
            { orgId: 'globex', reason: 'suspended', count: 1 },
          ],
        },
      ],
      'replica-a',
      '2026-11-28T10:07:00.003Z',
      recordId,
    );
    expect(records.map((r) => r.message.key)).toEqual(['replica-a', 'replica-a']);
    expect(records.map((r) => [r.denials, r.keys])).toEqual([
      [20, 1],
      [3, 2],
    ]);
    const events = records.map((r) => decodeCallsDeniedV1(decodeJson(r.message.value)));
    expect(events.map((e) => [e.occurredAt, e.payload.minute, e.recordedAt, e.payload.replicaId])).toEqual([
      ['2026-11-28T10:05:00.000Z', '2026-11-28T10:05:00.000Z', '2026-11-28T10:07:00.003Z', 'replica-a'],
      ['2026-11-28T10:06:00.000Z', '2026-11-28T10:06:00.000Z', '2026-11-28T10:07:00.003Z', 'replica-a'],
    ]);
    expect(events[1].payload.denials).toEqual([
      { orgId: 'acme', reason: 'rate_limited', count: 2 },
      { orgId: 'globex', reason: 'suspended', count: 1 },
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
  });

  it(`splits a minute of more than ${DENIALS_PER_RECORD} organizations and reasons, each in one record`, () => {
    const denials = Array.from({ length: 2 * DENIALS_PER_RECORD + 1 }, (_, i) => ({
      orgId: `org-${i}`,
      reason: 'rate_limited',
      count: 1,
    }));
    const records = denialRecords([{ minuteMs, denials }], 'replica-a', '2026-11-28T10:06:00.000Z', recordId);
    expect(records.map((r) => r.keys)).toEqual([DENIALS_PER_RECORD, DENIALS_PER_RECORD, 1]);
    const orgs = records.flatMap((r) =>
      decodeCallsDeniedV1(decodeJson(r.message.value)).payload.denials.map((d) => d.orgId),
    );
    expect(orgs).toEqual(denials.map((d) => d.orgId));
  });
});
