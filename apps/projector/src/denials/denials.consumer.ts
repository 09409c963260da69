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
import { DenialsProjector } from './denials-projector';

/** The consumer group of the denials projection, apart from the other projections' groups. */
export function denialsGroupId(config: ProjectorConfig): string {
  return `${config.PROJECTOR_GROUP_ID}.denials`;
}

/**
 * Applies decision.denials.v1 to denials_by_minute (DenialsProjector), one partition's batch per
 * transaction, from offsets checked against the broker like every projection's.
 */
@Injectable()
export class DenialsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: ManagedConsumer;
  private readonly projector: DenialsProjector;
  private readonly guard: OffsetGuard;
  private shuttingDown = false;

  constructor(
    private readonly config: ProjectorConfig,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    kafka: KafkaClient,
    readiness: ReadinessChecks,
  ) {
    const groupId = denialsGroupId(config);
    this.projector = new DenialsProjector(database.dataSource, groupId);
    this.guard = new OffsetGuard(kafka, database.dataSource, groupId, [config.DENIALS_TOPIC], readiness, () =>
      this.consumer.reposition(),
    );
    this.consumer = new ManagedConsumer(kafka, {
      groupId,
      topics: [config.DENIALS_TOPIC],
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
