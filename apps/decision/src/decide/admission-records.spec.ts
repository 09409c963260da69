import { CallAdmission, decodeCallAdmissions } from '@metergate/contracts';
import { ADMISSIONS_PER_RECORD, admissionRecordsV1, admissionRecordsV2 } from './admission-records';

const at = '2026-11-28T10:00:00.000Z';
const admission = (id: string, orgId: string): CallAdmission => ({
  id,
  occurredAt: at,
  orgId,
  endpoint: 'generate',
  hits: 1,
});
const partitionOf = (orgId: string) => ({ acme: 0, globex: 1, initech: 0 })[orgId] ?? 2;
const admissionIds = (value: string) => decodeCallAdmissions(JSON.parse(value)).map((a) => a.id);

describe('admissionRecordsV1', () => {
  it('sends each admission alone, keyed by its org, as v1 did', () => {
    const records = admissionRecordsV1([admission('a1', 'acme'), admission('g1', 'globex')]);
    expect(records.map((r) => [r.key, r.partition, admissionIds(r.value)])).toEqual([
      ['acme', undefined, ['a1']],
      ['globex', undefined, ['g1']],
    ]);
    expect(JSON.parse(records[0].value)).toMatchObject({ version: 1, occurredAt: at, recordedAt: at });
  });
});

describe('admissionRecordsV2', () => {
  let ids = 0;
  const recordId = () => `record-${++ids}`;

  it("groups admissions by their org's partition, in order, one record per partition", () => {
    const records = admissionRecordsV2(
      [
        admission('a1', 'acme'),
        admission('g1', 'globex'),
        admission('i1', 'initech'),
        admission('a2', 'acme'),
      ],
      partitionOf,
      '2026-11-28T10:00:00.050Z',
      recordId,
    );
    expect(records.map((r) => [r.partition, admissionIds(r.value)])).toEqual([
      [0, ['a1', 'i1', 'a2']],
      [1, ['g1']],
    ]);
    const envelope = JSON.parse(records[0].value) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      version: 2,
      occurredAt: '2026-11-28T10:00:00.050Z',
      recordedAt: '2026-11-28T10:00:00.050Z',
    });
    expect(new Set(records.map((r) => (JSON.parse(r.value) as { id: string }).id)).size).toBe(2);
  });

  it('splits a partition past ADMISSIONS_PER_RECORD, keeping the order', () => {
    const many = Array.from({ length: ADMISSIONS_PER_RECORD + 1 }, (_, i) => admission(`a${i}`, 'acme'));
    const records = admissionRecordsV2(many, partitionOf, at, recordId);
    expect(records.map((r) => [r.partition, admissionIds(r.value).length])).toEqual([
      [0, ADMISSIONS_PER_RECORD],
      [0, 1],
    ]);
    expect(admissionIds(records[1].value)).toEqual([`a${ADMISSIONS_PER_RECORD}`]);
  });
});
