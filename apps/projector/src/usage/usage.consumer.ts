import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import {
  KafkaClient,
  ManagedConsumer,
  OffsetIdentityError,
  PartitionBatch,
  ReadAgain,
  TopicAdmin,
} from '@metergate/messaging';
import { ReadinessChecks } from '@metergate/platform';
import { applySettingPoisonAside, liveHandling } from '../dead-letters/set-aside-poison';
import { OffsetGuard } from '../offsets/offset-guard';
import { storedPositions } from '../offsets/stored-positions';
import { ProjectorConfig } from '../projector.config';
import { planTransactions } from './transaction-plan';
import { UsageProjector } from './usage-projector';

/** Feeds usage and admission events from Kafka into the usage projection. */
@Injectable()
export class UsageConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumer: ManagedConsumer;
  private readonly projector: UsageProjector;
  private readonly guard: OffsetGuard;
  private readonly topicNames: string[];
  private stopping = false;

  constructor(
    private readonly config: ProjectorConfig,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    kafka: KafkaClient,
    readiness: ReadinessChecks,
  ) {
    this.topicNames = [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC];
    this.projector = new UsageProjector(database.dataSource, config.PROJECTOR_GROUP_ID);
    this.guard = new OffsetGuard(
      kafka,
      database.dataSource,
      config.PROJECTOR_GROUP_ID,
      this.topicNames,
      readiness,
      () => this.consumer.reposition(),
    );
    this.consumer = new ManagedConsumer(kafka, {
      groupId: config.PROJECTOR_GROUP_ID,
      topics: this.topicNames,
      fromBeginning: true,
      // Every partition this member may own at once, so that a fetch's batches arrive together and
      // are applied in as few transactions as their size allows.
      partitionsConsumedConcurrently: 2 * config.KAFKA_TOPIC_PARTITIONS,
      handleBatches: (batches) => this.apply(batches),
      commitIntervalMs: 5_000,
      resumePositions: (assigned) => {
        this.guard.recheck();
        return storedPositions(database.dataSource, config.PROJECTOR_GROUP_ID, assigned);
      },
    });
  }

  onApplicationBootstrap(): void {
    void this.startWhenReady();
  }

  /** First on shutdown: the batch in hand finishes while PostgreSQL is still open. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.consumer.stop();
  }

  private async startWhenReady(): Promise<void> {
    await this.database.whenConnected();
    const partitions = this.config.KAFKA_TOPIC_PARTITIONS;
    const ready = await this.topics.ensureTopicsWithRetry(
      this.topicNames.map((topic) => ({ topic, partitions })),
    );
    if (ready && !this.stopping) this.consumer.start();
  }

  private async apply(batches: PartitionBatch[]): Promise<ReadAgain> {
    const clusterId = await this.guard.ensure();
    const handling = liveHandling(
      async (transaction) => (await this.projector.applyBatches(transaction, clusterId)).readAgain,
      (batch, message, error, firstFailedAt) =>
        this.projector.setAside(batch, message, error, firstFailedAt, clusterId),
    );
    const applied = await Promise.allSettled(
      planTransactions(batches, this.config.PROJECTOR_CONCURRENCY).map((transaction) =>
        applySettingPoisonAside(transaction, handling),
      ),
    );
    // Only once all have settled: a retry must not race a transaction of the same partitions.
    const failed = applied.find((a) => a.status === 'rejected');
    if (failed) {
      if (failed.reason instanceof OffsetIdentityError) this.guard.refuse(failed.reason);
      throw failed.reason;
    }
    return applied.flatMap((a) => (a.status === 'fulfilled' ? a.value : []));
  }
}
