import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
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
import { AccessProjector } from './access-projector';

/** The consumer group of the access projection, apart from the usage projection's own group. */
export function accessGroupId(config: ProjectorConfig): string {
  return `${config.PROJECTOR_GROUP_ID}.access`;
}

/**
 * Applies access.events.v1 to org_access (AccessProjector), one partition's batch per transaction.
 * Kafka's own committed offset is only a hint that spares re-reading.
 */
@Injectable()
export class AccessEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: ManagedConsumer;
  private readonly projector: AccessProjector;
  private readonly guard: OffsetGuard;
  private shuttingDown = false;

  constructor(
    private readonly config: ProjectorConfig,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    kafka: KafkaClient,
    readiness: ReadinessChecks,
  ) {
    const groupId = accessGroupId(config);
    this.projector = new AccessProjector(database.dataSource, groupId);
    this.guard = new OffsetGuard(
      kafka,
      database.dataSource,
      groupId,
      [config.ACCESS_EVENTS_TOPIC],
      readiness,
      () => this.consumer.reposition(),
    );
    this.consumer = new ManagedConsumer(kafka, {
      groupId,
      topics: [config.ACCESS_EVENTS_TOPIC],
      fromBeginning: true,
      handleBatch: (batch) => this.apply(batch),
      resumePositions: (assigned) => {
        this.guard.recheck();
        return storedPositions(database.dataSource, groupId, assigned);
      },
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

  private async apply(batch: PartitionBatch): Promise<ReadAgain> {
    const clusterId = await this.guard.ensure();
    try {
      return await applySettingPoisonAside(
        [batch],
        liveHandling(
          (batches) => this.projector.applyBatches(batches, clusterId),
          (one, message, error, firstFailedAt) =>
            this.projector.setAside(one, message, error, firstFailedAt, clusterId),
        ),
      );
    } catch (error) {
      if (error instanceof OffsetIdentityError) this.guard.refuse(error);
      throw error;
    }
  }
}
