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
import { RecordProjector } from './record-projector';

/** Where a projection of one topic's records lives: its consumer group, its topic, what it does. */
export interface RecordProjectionOf<T> {
  groupId: string;
  topic: string;
  projector: RecordProjector<T>;
}

/**
 * Feeds one topic into a RecordProjector, one partition's batch per transaction, from offsets checked
 * against the broker (OffsetGuard) like every projection's. Kafka's own committed offset is only a hint
 * that spares re-reading.
 */
export class RecordConsumer<T> {
  private readonly consumer: ManagedConsumer;
  private readonly guard: OffsetGuard;
  private shuttingDown = false;

  constructor(
    private readonly of: RecordProjectionOf<T>,
    private readonly partitions: number,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    kafka: KafkaClient,
    readiness: ReadinessChecks,
  ) {
    this.guard = new OffsetGuard(kafka, database.dataSource, of.groupId, [of.topic], readiness, () =>
      this.consumer.reposition(),
    );
    this.consumer = new ManagedConsumer(kafka, {
      groupId: of.groupId,
      topics: [of.topic],
      fromBeginning: true,
      handleBatch: (batch) => this.apply(batch),
      resumePositions: (assigned) => {
        this.guard.recheck();
        return storedPositions(database.dataSource, of.groupId, assigned);
      },
    });
  }

  /** Other apps create the topic too; whichever starts first does it, with the same partitions. */
  async start(): Promise<void> {
    await this.database.whenConnected();
    const ready = await this.topics.ensureTopicsWithRetry([
      { topic: this.of.topic, partitions: this.partitions },
    ]);
    if (ready && !this.shuttingDown) this.consumer.start();
  }

  async stop(): Promise<void> {
    this.shuttingDown = true;
    await this.consumer.stop();
  }

  private async apply(batch: PartitionBatch): Promise<ReadAgain> {
    const clusterId = await this.guard.ensure();
    const projector = this.of.projector;
    try {
      return await applySettingPoisonAside(
        [batch],
        liveHandling(
          (batches) => projector.applyBatches(batches, clusterId),
          (one, message, error, firstFailedAt) =>
            projector.setAside(one, message, error, firstFailedAt, clusterId),
        ),
      );
    } catch (error) {
      if (error instanceof OffsetIdentityError) this.guard.refuse(error);
      throw error;
    }
  }
}
