import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CallsDeniedV1, decodeCallsDeniedV1, decodeJson, InvalidEventError } from '@metergate/contracts';
import { DatabaseConnection, inTransaction } from '@metergate/database';
import {
  KafkaClient,
  ManagedConsumer,
  PartitionBatch,
  TopicAdmin,
  TopicPartitionOffset,
} from '@metergate/messaging';
import { counter } from '@metergate/platform';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';
import { ProjectorConfig } from '../projector.config';
import { denialRows } from './denials-by-minute.projection';
import { DenialsSql } from './denials.sql';

const invalidDenialRecords = counter({
  name: 'projector_denials_invalid_records_total',
  help: 'Messages on the denials topic the projector could not read and stepped over.',
});

/** The consumer group of the denials projection, apart from the other projections' groups. */
export function denialsGroupId(config: ProjectorConfig): string {
  return `${config.PROJECTOR_GROUP_ID}.denials`;
}

/**
 * Applies decision.denials.v1 to denials_by_minute. Each partition's batch commits in one transaction
 * together with the partition's next offset, so the stored offset always matches what the table holds;
 * and the rows are keyed by replica, org, minute and reason, so that a record read again (or sent
 * again by its replica) changes nothing either.
 */
@Injectable()
export class DenialsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DenialsConsumer.name);
  private readonly consumer: ManagedConsumer;
  private readonly groupId: string;
  private shuttingDown = false;

  constructor(
    private readonly config: ProjectorConfig,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    kafka: KafkaClient,
  ) {
    this.groupId = denialsGroupId(config);
    this.consumer = new ManagedConsumer(kafka, {
      groupId: this.groupId,
      topics: [config.DENIALS_TOPIC],
      fromBeginning: true,
      handleBatch: (batch) => this.apply(batch),
      resumePositions: (assigned) => this.storedPositions(assigned),
    });
  }

  onApplicationBootstrap(): void {
    void this.startWhenReady();
  }

  /** The decision app creates the topic too; whichever app starts first does it, with the same partitions. */
  private async startWhenReady(): Promise<void> {
    await this.database.whenConnected();
    const ready = await this.topics.ensureTopicsWithRetry([
      { topic: this.config.DENIALS_TOPIC, partitions: this.config.KAFKA_TOPIC_PARTITIONS },
    ]);
    if (ready && !this.shuttingDown) this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.consumer.stop();
  }

  private async apply(batch: PartitionBatch): Promise<void> {
    await inTransaction(this.database.dataSource, async (tx) => {
      const [{ next_offset }]: { next_offset: string }[] = await tx.query(PartitionOffsetsSql.lock, [
        this.groupId,
        batch.topic,
        batch.partition,
      ]);
      const fresh = batch.messages.filter((m) => BigInt(m.offset) >= BigInt(next_offset));
      if (fresh.length === 0) return;
      const records: CallsDeniedV1[] = [];
      for (const message of fresh) {
        try {
          records.push(decodeCallsDeniedV1(decodeJson(message.value)));
        } catch (error) {
          if (!(error instanceof InvalidEventError)) throw error;
          // A poison message must not stall the counts behind it on the partition.
          invalidDenialRecords.inc();
          this.logger.error(
            { topic: batch.topic, partition: batch.partition, offset: message.offset, reason: error.reason },
            'invalid denials record skipped',
          );
        }
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
      const next = BigInt(fresh[fresh.length - 1].offset) + 1n;
      await tx.query(PartitionOffsetsSql.save, [this.groupId, batch.topic, batch.partition, next.toString()]);
    });
  }

  private async storedPositions(
    assigned: { topic: string; partition: number }[],
  ): Promise<TopicPartitionOffset[]> {
    const rows: { topic: string; partition: number; next_offset: string }[] =
      await this.database.dataSource.query(PartitionOffsetsSql.readGroup, [
        this.groupId,
        [this.config.DENIALS_TOPIC],
      ]);
    const mine = new Set(assigned.map((a) => `${a.topic}/${a.partition}`));
    return rows
      .filter((r) => mine.has(`${r.topic}/${r.partition}`))
      .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.next_offset }));
  }
}
