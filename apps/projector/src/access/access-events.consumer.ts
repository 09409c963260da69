import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AccessEventV1, decodeAccessEventV1, decodeJson, InvalidEventError } from '@metergate/contracts';
import { DatabaseConnection, inTransaction } from '@metergate/database';
import {
  KafkaClient,
  ManagedConsumer,
  PartitionBatch,
  TopicAdmin,
  TopicPartitionOffset,
} from '@metergate/messaging';
import { counter } from '@metergate/platform';
import { ProjectorConfig } from '../projector.config';
import { newestAccessPerOrg, orgAccessUpsertParameters } from './org-access.projection';
import { OrgAccessSql } from './org-access.sql';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';

const invalidAccessEvents = counter({
  name: 'projector_access_invalid_events_total',
  help: 'Messages on the access topic the projector could not read and stepped over.',
});

/** The consumer group of the access projection, apart from the usage projection's own group. */
export function accessGroupId(config: ProjectorConfig): string {
  return `${config.PROJECTOR_GROUP_ID}.access`;
}

/**
 * Applies access.events.v1 to org_access. Each partition's batch commits in one transaction together
 * with the partition's next offset, so the stored offset always matches what the table holds; Kafka's
 * own committed offset is only a hint that spares re-reading.
 */
@Injectable()
export class AccessEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccessEventsConsumer.name);
  private readonly consumer: ManagedConsumer;
  private readonly groupId: string;
  private shuttingDown = false;

  constructor(
    private readonly config: ProjectorConfig,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    kafka: KafkaClient,
  ) {
    this.groupId = accessGroupId(config);
    this.consumer = new ManagedConsumer(kafka, {
      groupId: this.groupId,
      topics: [config.ACCESS_EVENTS_TOPIC],
      fromBeginning: true,
      handleBatch: (batch) => this.apply(batch),
      resumePositions: (assigned) => this.storedPositions(assigned),
    });
  }

  onApplicationBootstrap(): void {
    void this.startWhenReady();
  }

  /** The tier service creates the topic too; whichever app starts first does it, with the same partitions. */
  private async startWhenReady(): Promise<void> {
    await this.database.whenConnected();
    const ready = await this.topics.ensureTopicsWithRetry([
      { topic: this.config.ACCESS_EVENTS_TOPIC, partitions: this.config.KAFKA_TOPIC_PARTITIONS },
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
      const events: AccessEventV1[] = [];
      for (const message of fresh) {
        try {
          events.push(decodeAccessEventV1(decodeJson(message.value)));
        } catch (error) {
          if (!(error instanceof InvalidEventError)) throw error;
          // A poison message must not stall every organization behind it on the partition.
          invalidAccessEvents.inc();
          this.logger.error(
            { topic: batch.topic, partition: batch.partition, offset: message.offset, reason: error.reason },
            'invalid access event skipped',
          );
        }
      }
      const rows = newestAccessPerOrg(events);
      if (rows.length > 0) {
        await tx.query(OrgAccessSql.upsertOrgAccess, orgAccessUpsertParameters(rows));
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
        [this.config.ACCESS_EVENTS_TOPIC],
      ]);
    const mine = new Set(assigned.map((a) => `${a.topic}/${a.partition}`));
    return rows
      .filter((r) => mine.has(`${r.topic}/${r.partition}`))
      .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.next_offset }));
  }
}
