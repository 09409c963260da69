import {
  CALL_ADMITTED,
  CALL_RELEASED,
  CallAdmission,
  CallAdmittedV1,
  CallAdmittedV2,
  CallReleasedV1,
} from '@metergate/contracts';
import { OutgoingMessage } from '@metergate/messaging';

/** Far below Kafka's default 1 MiB record limit, even with every admission's fields at their longest. */
export const ADMISSIONS_PER_RECORD = 1000;

/** A call whose reservation was released, waiting to be published after its admission. */
export interface Release {
  orgId: string;
  id: string;
  occurredAt: string;
}

/** One v1 record per admission, keyed by its org: what a replica sends before it knows the partitions. */
export function admissionRecordsV1(admissions: CallAdmission[]): OutgoingMessage[] {
  return admissions.map(({ id, occurredAt, ...payload }) => {
    const event: CallAdmittedV1 = {
      type: CALL_ADMITTED,
      version: 1,
      id,
      occurredAt,
      recordedAt: occurredAt,
      payload,
    };
    return { key: payload.orgId, value: JSON.stringify(event) };
  });
}

/**
 * v2 records, one per partition (or more past ADMISSIONS_PER_RECORD), each sent to the partition its
 * admissions' orgs are keyed to, so that an org's admissions stay in one partition, in order, as in v1.
 */
export function admissionRecordsV2(
  admissions: CallAdmission[],
  partitionOf: (orgId: string) => number,
  flushedAt: string,
  recordId: () => string,
): OutgoingMessage[] {
  const byPartition = new Map<number, CallAdmission[]>();
  for (const admission of admissions) {
    const partition = partitionOf(admission.orgId);
    const group = byPartition.get(partition);
    if (group) group.push(admission);
    else byPartition.set(partition, [admission]);
  }
  const records: OutgoingMessage[] = [];
  for (const [partition, group] of byPartition) {
    for (let start = 0; start < group.length; start += ADMISSIONS_PER_RECORD) {
      const record: CallAdmittedV2 = {
        type: CALL_ADMITTED,
        version: 2,
        id: recordId(),
        occurredAt: flushedAt,
        recordedAt: flushedAt,
        payload: { admissions: group.slice(start, start + ADMISSIONS_PER_RECORD) },
      };
      // The key only names the record; the explicit partition places it.
      records.push({ key: record.payload.admissions[0].orgId, partition, value: JSON.stringify(record) });
    }
  }
  return records;
}

/** Release records, keyed by org: they follow the admissions of the same flush in each partition. */
export function releaseRecords(releases: Release[], recordedAt: string): OutgoingMessage[] {
  return releases.map(({ orgId, id, occurredAt }) => {
    const event: CallReleasedV1 = {
      type: CALL_RELEASED,
      version: 1,
      id,
      occurredAt,
      recordedAt,
      payload: { orgId },
    };
    return { key: orgId, value: JSON.stringify(event) };
  });
}
