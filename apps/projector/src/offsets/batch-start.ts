import { OffsetIdentityError, findOffsetMismatches } from '@metergate/messaging';
import { RawBatch, RawMessage } from './raw-batch';

export type BatchStart =
  /** The messages at or beyond the stored offset, and how many below it were applied before. */
  | { kind: 'apply'; fresh: RawMessage[]; skipped: number }
  /** The batch was fetched beyond the stored offset: records in between were never applied. */
  | { kind: 'read-again'; from: string };

/**
 * Checks a partition's batch against the next offset stored in PostgreSQL (`next`), inside the
 * transaction that holds that row, before anything is applied. The batch may start below it (a
 * redelivery: what is below was applied and is skipped) but never beyond it: the consumer's position
 * lives in memory and can run ahead of what PostgreSQL kept (a commit lost in a server crash, a
 * position committed to Kafka before PostgreSQL lost it), and applying from there would store an
 * offset past records never applied. Such a batch is not applied; the partition is read again from
 * `next`. A partition whose end lies below `next` is not the one the offset was stored for.
 */
export function checkBatchStart(group: string, next: bigint, batch: RawBatch): BatchStart {
  const mismatches = findOffsetMismatches(
    [{ topic: batch.topic, partition: batch.partition, nextOffset: next.toString(), clusterId: null }],
    // A batch tells the partition's end; its start is left to the check at assignment.
    {
      clusterId: '',
      partitions: [{ topic: batch.topic, partition: batch.partition, low: '0', high: batch.highWatermark }],
    },
  );
  if (mismatches.length > 0) throw new OffsetIdentityError(group, mismatches);
  if (BigInt(batch.fetchedOffset) > next) return { kind: 'read-again', from: next.toString() };
  const fresh = batch.messages.filter((m) => BigInt(m.offset) >= next);
  return { kind: 'apply', fresh, skipped: batch.messages.length - fresh.length };
}
