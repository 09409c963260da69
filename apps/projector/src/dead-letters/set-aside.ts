import { Logger } from '@nestjs/common';
import { inTransaction } from '@metergate/database';
import { ReadAgain } from '@metergate/messaging';
import { DataSource } from 'typeorm';
import { checkBatchStart } from '../offsets/batch-start';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';
import { RawBatch, RawMessage } from '../offsets/raw-batch';
import { DeadLetter, countDeadLetters, writeDeadLetters } from './dead-letter';

const logger = new Logger('DeadLetters');

/**
 * Sets aside a record PostgreSQL refused, and moves its partition's offset past it, in one transaction:
 * the record is kept, and neither lost nor applied again. `batch` holds that record alone.
 */
export async function setAsideRecord(
  dataSource: DataSource,
  group: string,
  clusterId: string | null,
  batch: RawBatch,
  message: RawMessage,
  error: unknown,
  firstFailedAt: Date,
): Promise<ReadAgain> {
  const letter: DeadLetter = {
    topic: batch.topic,
    partition: batch.partition,
    message,
    reason: 'refused',
    error,
    firstFailedAt,
  };
  let written = false;
  const readAgain = await inTransaction(dataSource, async (tx): Promise<ReadAgain> => {
    const [{ next_offset }] = await tx.query<{ next_offset: string }[]>(PartitionOffsetsSql.lockAll, [
      group,
      [batch.topic],
      [batch.partition],
      clusterId,
    ]);
    const start = checkBatchStart(group, BigInt(next_offset), batch);
    if (start.kind === 'read-again')
      return [{ topic: batch.topic, partition: batch.partition, offset: start.from }];
    if (start.fresh.length === 0) return [];
    await writeDeadLetters(tx, group, [letter]);
    await tx.query(PartitionOffsetsSql.save, [
      group,
      batch.topic,
      batch.partition,
      (BigInt(message.offset) + 1n).toString(),
    ]);
    written = true;
    return [];
  });
  if (written) {
    countDeadLetters([letter]);
    logger.error(
      {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        error: (error as Error).message,
      },
      'record refused by PostgreSQL after its retries: set aside in dead_letters, the partition goes on',
    );
  }
  return readAgain;
}
