import { CallsDeniedV1, InvalidEventError, decodeCallsDeniedV1, decodeJson } from '@metergate/contracts';
import { inTransaction } from '@metergate/database';
import { ReadAgain } from '@metergate/messaging';
import { DataSource } from 'typeorm';
import { DeadLetter, countDeadLetters, writeDeadLetters } from '../dead-letters/dead-letter';
import { setAsideRecord } from '../dead-letters/set-aside';
import { checkBatchStart } from '../offsets/batch-start';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';
import { RawBatch, RawMessage } from '../offsets/raw-batch';
import { denialRows } from './denials-by-minute.projection';
import { DenialsSql } from './denials.sql';

/**
 * Applies decision.denials.v1 to denials_by_minute. Batches commit in one transaction together with
 * their partitions' next offsets and apply only from those offsets (checkBatchStart); rows are keyed by
 * replica, org, minute and reason, so a record read again (or sent again by its replica) changes nothing.
 */
export class DenialsProjector {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groupId: string,
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
      const records: CallsDeniedV1[] = [];
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
            records.push(decodeCallsDeniedV1(decodeJson(message.value)));
          } catch (error) {
            if (!(error instanceof InvalidEventError)) throw error;
            // A poison message must not stall the counts behind it on the partition.
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
      const rows = denialRows(records);
      if (rows.length > 0) {
        await tx.query(DenialsSql.upsertDenials, [
          rows.map((r) => r.minute),
          rows.map((r) => r.orgId),
          rows.map((r) => r.reason),
          rows.map((r) => r.replicaId),
          rows.map((r) => r.count),
        ]);
      }
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
