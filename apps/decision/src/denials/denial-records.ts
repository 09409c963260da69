import { CALLS_DENIED, CallsDeniedV1 } from '@metergate/contracts';
import { OutgoingMessage } from '@metergate/messaging';
import { MinuteDenials } from './denial-counter';

/** Far below Kafka's default 1 MiB record limit, even with every org id at its longest. */
export const DENIALS_PER_RECORD = 1000;

export interface DenialRecord {
  message: OutgoingMessage;
  /** Denials the record counts, for what is dropped should it never be sent. */
  denials: number;
  /** (org, reason) counts it holds, toward the bound on what waits unsent. */
  keys: number;
}

/**
 * calls.denied v1 records of the minutes taken from the counter: one per minute (more past
 * DENIALS_PER_RECORD organizations and reasons), keyed by the replica. Nothing reads them per
 * organization in order (each count is final and applied by its key), so the replica's key only keeps
 * its own records together, and a minute costs one record, not one per organization.
 */
export function denialRecords(
  minutes: MinuteDenials[],
  replicaId: string,
  flushedAt: string,
  recordId: () => string,
): DenialRecord[] {
  const records: DenialRecord[] = [];
  for (const { minuteMs, denials } of minutes) {
    const minute = new Date(minuteMs).toISOString();
    for (let start = 0; start < denials.length; start += DENIALS_PER_RECORD) {
      const chunk = denials.slice(start, start + DENIALS_PER_RECORD);
      const event: CallsDeniedV1 = {
        type: CALLS_DENIED,
        version: 1,
        id: recordId(),
        occurredAt: minute,
        recordedAt: flushedAt,
        payload: { replicaId, minute, denials: chunk },
      };
      records.push({
        message: { key: replicaId, value: JSON.stringify(event) },
        denials: chunk.reduce((sum, d) => sum + d.count, 0),
        keys: chunk.length,
      });
    }
  }
  return records;
}
