import { InvalidEventError } from '@metergate/contracts';
import { inTransaction } from '@metergate/database';
import { ReadAgain } from '@metergate/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { DeadLetter, countDeadLetters, writeDeadLetters } from '../dead-letters/dead-letter';
import { setAsideRecord } from '../dead-letters/set-aside';
import { checkBatchStart } from '../offsets/batch-start';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';
import { RawBatch, RawMessage } from '../offsets/raw-batch';

/** What a projection of one topic's records does: read a record, and fold a batch of them into its table. */
export interface RecordProjection<T> {
  /** Throws InvalidEventError for a record it cannot read. */
  decode(value: Buffer | null): T;
  apply(tx: EntityManager, records: T[]): Promise<void>;
}

/**
 * Applies a topic's records to a projection whose rows each record's state replaces (access events into
 * org_access, denial counts into denials_by_minute): the live consumer and the rebuild run this same
 * code. Batches commit in one transaction together with their partitions' next offsets, so the stored
 * offsets always match what the table holds, and apply only from those offsets (checkBatchStart); a
 * record no projection can read is set aside in dead_letters and its partition goes on.
 */
export class RecordProjector<T> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groupId: string,
    private readonly projection: RecordProjection<T>,
  ) {}

  /** `batches` name each partition once, sorted by topic and partition; returns the partitions to read again. */
  async applyBatches(batches: RawBatch[], clusterId: string | null = null): Promise<ReadAgain> {
    const undecodable: DeadLetter[] = [];
    const readAgain = await inTransaction(this.dataSource, async (tx): Promise<ReadAgain> => {
      const stored = await tx.query<{ topic: string; partition: number; next_offset: string }[]>(
        PartitionOffsetsSql.lockAll,
        [this.groupId, batches.map((b) => b.topic), batches.map((b) => b.partition), clusterId],
      );
      const nextOffset = new Map(stored.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
      const again: ReadAgain = [];
      const records: T[] = [];
      for (const batch of batches) {
        const { topic, partition } = batch;
        const start = checkBatchStart(this.groupId, nextOffset.get(`${topic}/${partition}`)!, batch);
        if (start.kind === 'read-again') {
          again.push({ topic, partition, offset: start.from });
          continue;
        }
        if (start.fresh.length === 0) continue;
        for (const message of start.fresh) {
          try {
            records.push(this.projection.decode(message.value));
          } catch (error) {
            if (!(error instanceof InvalidEventError)) throw error;
            // A poison message must not stall what follows it on the partition.
            undecodable.push({
              topic,
              partition,
              message,
              reason: 'undecodable',
              error,
              firstFailedAt: null,
            });
          }
        }
        const next = BigInt(start.fresh[start.fresh.length - 1].offset) + 1n;
        await tx.query(PartitionOffsetsSql.save, [this.groupId, topic, partition, next.toString()]);
      }
      if (records.length > 0) await this.projection.apply(tx, records);
      await writeDeadLetters(tx, this.groupId, undecodable);
      return again;
    });
    countDeadLetters(undecodable);
    return readAgain;
  }

  /** Sets aside one record PostgreSQL refused (see applySettingPoisonAside). */
  setAside(
    batch: RawBatch,
    message: RawMessage,
    error: unknown,
    firstFailedAt: Date,
    clusterId: string | null = null,
  ): Promise<ReadAgain> {
    return setAsideRecord(this.dataSource, this.groupId, clusterId, batch, message, error, firstFailedAt);
  }
}
