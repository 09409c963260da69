import { AccessEventV1, InvalidEventError, decodeAccessEventV1, decodeJson } from '@metergate/contracts';
import { inTransaction } from '@metergate/database';
import { ReadAgain } from '@metergate/messaging';
import { DataSource } from 'typeorm';
import { DeadLetter, countDeadLetters, writeDeadLetters } from '../dead-letters/dead-letter';
import { setAsideRecord } from '../dead-letters/set-aside';
import { checkBatchStart } from '../offsets/batch-start';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';
import { RawBatch, RawMessage } from '../offsets/raw-batch';
import { newestAccessPerOrg, orgAccessUpsertParameters } from './org-access.projection';
import { OrgAccessSql } from './org-access.sql';

/**
 * Applies access.events.v1 to org_access: the live consumer and the rebuild run this same code. Batches
 * commit in one transaction together with their partitions' next offsets, so the stored offsets always
 * match what the table holds, and apply only from those offsets (checkBatchStart).
 */
export class AccessProjector {
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
      const events: AccessEventV1[] = [];
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
            events.push(decodeAccessEventV1(decodeJson(message.value)));
          } catch (error) {
            if (!(error instanceof InvalidEventError)) throw error;
            // A poison message must not stall every organization behind it on the partition.
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
      const rows = newestAccessPerOrg(events);
      if (rows.length > 0) {
        await tx.query(OrgAccessSql.upsertOrgAccess, orgAccessUpsertParameters(rows));
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
