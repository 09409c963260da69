import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { KafkaClient, ManagedConsumer, PartitionBatch, TopicAdmin } from '@metergate/messaging';
import { gauge } from '@metergate/platform';
import { ProjectorConfig } from '../projector.config';
import { planTransactions } from './transaction-plan';
import { UsageProjector } from './usage-projector';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';

const lag = gauge({
  name: 'projector_lag_messages',
  help: 'Messages behind the partition high watermark after the last applied batch.',
  labelNames: ['topic', 'partition'] as const,
});

/** Feeds usage and admission events from Kafka into the usage projection. */
@Injectable()
export class UsageConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumer: ManagedConsumer;
  private readonly projector: UsageProjector;

  constructor(
    private readonly config: ProjectorConfig,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    kafka: KafkaClient,
  ) {
    this.projector = new UsageProjector(database.dataSource, config.PROJECTOR_GROUP_ID);
    this.consumer = new ManagedConsumer(kafka, {
      groupId: config.PROJECTOR_GROUP_ID,
      topics: [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC],
      fromBeginning: true,
      // Every partition this member may own at once, so that a fetch's batches arrive together and
      // are applied in as few transactions as their size allows.
      partitionsConsumedConcurrently: 2 * config.KAFKA_TOPIC_PARTITIONS,
      handleBatches: (batches) => this.apply(batches),
      commitIntervalMs: 5_000,
      resumePositions: (assigned) => this.storedPositions(assigned),
    });
  }

  onApplicationBootstrap(): void {
    void this.startWhenReady();
  }

  /** First on shutdown: the batch in hand finishes while PostgreSQL is still open. */
  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async startWhenReady(): Promise<void> {
    await this.database.whenConnected();
    const partitions = this.config.KAFKA_TOPIC_PARTITIONS;
    const ready = await this.topics.ensureTopicsWithRetry([
      { topic: this.config.USAGE_TOPIC, partitions },
      { topic: this.config.CALLS_ADMITTED_TOPIC, partitions },
    ]);
    if (ready) this.consumer.start();
  }

  private async apply(batches: PartitionBatch[]): Promise<void> {
    const applied = await Promise.allSettled(
      planTransactions(batches, this.config.PROJECTOR_CONCURRENCY).map((transaction) =>
        this.projector.applyBatches(transaction),
      ),
    );
    // Only once all have settled: a retry must not race a transaction of the same partitions.
    const failed = applied.find((a) => a.status === 'rejected');
    if (failed) throw failed.reason;
    for (const batch of batches) {
      const last = BigInt(batch.messages[batch.messages.length - 1].offset);
      lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Number(BigInt(batch.highWatermark) - last - 1n),
      );
    }
  }

  private async storedPositions(assigned: { topic: string; partition: number }[]) {
    const rows = await this.database.dataSource.query<
      { topic: string; partition: number; next_offset: string }[]
    >(PartitionOffsetsSql.readGroup, [
      this.config.PROJECTOR_GROUP_ID,
      [...new Set(assigned.map((a) => a.topic))],
    ]);
    const wanted = new Set(assigned.map((a) => `${a.topic}/${a.partition}`));
    return rows
      .filter((r) => wanted.has(`${r.topic}/${r.partition}`))
      .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.next_offset }));
  }
}
