import { inTransaction } from '@metergate/database';
import { ReadAgain } from '@metergate/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { DeadLetter, countDeadLetters, writeDeadLetters } from '../dead-letters/dead-letter';
import { setAsideRecord } from '../dead-letters/set-aside';
import { takeFreshRecords } from '../offsets/fresh-records';
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
    let undecodable: DeadLetter[] = [];
    const readAgain = await inTransaction(this.dataSource, async (tx): Promise<ReadAgain> => {
      const fresh = await takeFreshRecords(tx, this.groupId, clusterId, batches, (message) => [
        this.projection.decode(message.value),
      ]);
      undecodable = fresh.undecodable;
      for (const { topic, partition, next } of fresh.advanced) {
        await tx.query(PartitionOffsetsSql.save, [this.groupId, topic, partition, next]);
      }
      if (fresh.decoded.length > 0) await this.projection.apply(tx, fresh.decoded);
      await writeDeadLetters(tx, this.groupId, undecodable);
      return fresh.readAgain;
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
