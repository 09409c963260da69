import { InvalidEventError } from '@metergate/contracts';
import { ReadAgain } from '@metergate/messaging';
import { EntityManager } from 'typeorm';
import { DeadLetter } from '../dead-letters/dead-letter';
import { checkBatchStart } from './batch-start';
import { PartitionOffsetsSql } from './partition-offsets.sql';
import { RawBatch, RawMessage } from './raw-batch';

/** What a transaction takes from its batches: the records to apply, and where each partition goes on. */
export interface FreshRecords<T> {
  decoded: T[];
  /** Records nothing can read, to be kept in dead_letters in the same transaction. */
  undecodable: DeadLetter[];
  /** Each partition that has fresh records, and its next offset once they are applied. */
  advanced: { topic: string; partition: number; next: string }[];
  /** Partitions fetched beyond their stored offset: nothing of them is applied. */
  readAgain: ReadAgain;
  /** Messages below their partition's stored offset (a redelivered batch). */
  skipped: number;
}

/**
 * Locks the stored offsets of the batches' partitions (in the batches' order, topic then partition) and
 * takes from each batch what lies at or beyond its offset (checkBatchStart), decoded. A record `decode`
 * refuses with InvalidEventError is set aside rather than applied, so that it never stalls its partition.
 */
export async function takeFreshRecords<T>(
  tx: EntityManager,
  groupId: string,
  clusterId: string | null,
  batches: RawBatch[],
  decode: (message: RawMessage) => T[],
): Promise<FreshRecords<T>> {
  const stored = await tx.query<{ topic: string; partition: number; next_offset: string }[]>(
    PartitionOffsetsSql.lockAll,
    [groupId, batches.map((b) => b.topic), batches.map((b) => b.partition), clusterId],
  );
  const nextOffset = new Map(stored.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
  const taken: FreshRecords<T> = { decoded: [], undecodable: [], advanced: [], readAgain: [], skipped: 0 };
  for (const batch of batches) {
    const { topic, partition } = batch;
    const start = checkBatchStart(groupId, nextOffset.get(`${topic}/${partition}`)!, batch);
    if (start.kind === 'read-again') {
      taken.readAgain.push({ topic, partition, offset: start.from });
      continue;
    }
    taken.skipped += start.skipped;
    if (start.fresh.length === 0) continue;
    const last = start.fresh[start.fresh.length - 1];
    taken.advanced.push({ topic, partition, next: (BigInt(last.offset) + 1n).toString() });
    for (const message of start.fresh) {
      try {
        for (const record of decode(message)) taken.decoded.push(record);
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        taken.undecodable.push({
          topic,
          partition,
          message,
          reason: 'undecodable',
          error,
          firstFailedAt: null,
        });
      }
    }
  }
  return taken;
}
