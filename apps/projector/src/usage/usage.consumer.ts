import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { KafkaClient, ManagedConsumer, PartitionBatch, TopicAdmin } from '@metergate/messaging';
import { Gauge } from 'prom-client';
import { ProjectorConfig } from '../projector.config';
import { UsageProjector } from './usage-projector';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';

const lag = new Gauge({
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
      partitionsConsumedConcurrently: config.PROJECTOR_CONCURRENCY,
      handleBatch: (batch) => this.apply(batch),
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

  private async apply(batch: PartitionBatch): Promise<void> {
    await this.projector.applyBatch(batch.topic, batch.partition, batch.messages);
    const last = BigInt(batch.messages[batch.messages.length - 1].offset);
    lag.set(
      { topic: batch.topic, partition: String(batch.partition) },
      Number(BigInt(batch.highWatermark) - last - 1n),
    );
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
