import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import {
  KafkaClient,
  OffsetIdentityError,
  TopicAdmin,
  findOffsetMismatches,
  observeTopics,
} from '@metergate/messaging';
import { ReadinessChecks, retryWithBackoff } from '@metergate/platform';
import { DecisionConfig } from '../decision.config';
import { ReadModel } from './read-model';
import { ReadModelFollower } from './read-model.follower';
import { ReadModelMetrics } from './read-model.metrics';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';
import { LoadedSnapshot, SnapshotReader } from './snapshot.reader';

const STOP_WAIT_MS = 1000;

/**
 * Brings the read model up: the whole projection in one consistent snapshot, then Kafka from the
 * positions it reflects. The replica is ready once loaded and caught up; until then (PostgreSQL or
 * Kafka down at start) it answers under the stale failure policies.
 */
@Injectable()
export class ReadModelLoader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelLoader.name);
  private stopping = false;
  /** Why the replica does not follow Kafka: the projection's offsets name other topics. */
  private refused?: OffsetIdentityError;

  constructor(
    private readonly model: ReadModel,
    private readonly reader: SnapshotReader,
    private readonly follower: ReadModelFollower,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    private readonly kafka: KafkaClient,
    private readonly config: DecisionConfig,
    readiness: ReadinessChecks,
  ) {
    readiness.register('read-model', async () => {
      const now = Date.now();
      if (!this.model.loaded) throw new Error('read model: the snapshot of the projection is not loaded yet');
      if (this.refused) throw this.refused;
      const staleness = this.model.stalenessMs(now);
      if (this.model.isStale(now)) {
        throw new Error(
          `read model stale for ${Number.isFinite(staleness) ? `${staleness} ms` : 'ever'} ` +
            `(threshold ${this.config.DECISION_STALENESS_THRESHOLD_MS} ms): rate limits ` +
            `${this.config.DECISION_STALE_RATE_POLICY}, quotas ${this.config.DECISION_STALE_QUOTA_POLICY}`,
        );
      }
      return { stalenessMs: staleness, orgs: this.model.size };
    });
  }

  onApplicationBootstrap(): void {
    void this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    // ManagedConsumer.stop() leaves the group at once but then waits for a crash event that a clean
    // disconnect never emits; it is bounded here so shutdown completes.
    await Promise.race([
      this.follower.stop(),
      new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref()),
    ]);
  }

  /**
   * The snapshot needs only PostgreSQL: a replica whose Kafka is down at start answers from it (under
   * the stale policies) until it can follow the topics.
   */
  private async start(): Promise<void> {
    await this.database.whenConnected();
    const warmupMs = this.config.DECISION_ID_WARMUP_SECONDS * 1000;
    const loaded = await retryWithBackoff(() => this.load(warmupMs), {
      what: 'load the snapshot of the projection',
      logger: this.logger,
      stopped: () => this.stopping,
      maxMs: 5_000,
    });
    if (!loaded || this.stopping) return;
    let snapshot = loaded;
    const partitions = this.config.KAFKA_TOPIC_PARTITIONS;
    const ready = await this.topics.ensureTopicsWithRetry(
      this.follower.topicNames.map((topic) => ({ topic, partitions })),
    );
    if (!ready || this.stopping) return;
    const startAt = await retryWithBackoff(
      async () => {
        const mismatches = findOffsetMismatches(
          snapshot.stored,
          await observeTopics(this.kafka, this.follower.topicNames),
        );
        if (mismatches.length > 0) {
          // Following Kafka from offsets of other topics would skip records: refused until realigned
          // (or rebuilt), when the projection is read again.
          this.refused = new OffsetIdentityError(this.config.PROJECTOR_GROUP_ID, mismatches);
          this.logger.error(this.refused.message);
          snapshot = await this.load(warmupMs);
          throw this.refused;
        }
        this.refused = undefined;
        return this.startPositions(snapshot.offsets, snapshot.startedMs - warmupMs);
      },
      {
        what: 'follow Kafka from the snapshot',
        logger: this.logger,
        stopped: () => this.stopping,
        maxMs: 5_000,
      },
    );
    if (startAt && !this.stopping) this.follower.start(startAt, snapshot.offsets);
  }

  private async load(warmupMs: number): Promise<LoadedSnapshot & { startedMs: number }> {
    const started = Date.now();
    this.model.reset(started - warmupMs);
    let snapshot: LoadedSnapshot;
    try {
      snapshot = await this.reader.load(this.model, started);
    } catch (error) {
      this.model.reset(started - warmupMs);
      throw error;
    }
    this.model.loaded = true;
    const seconds = (Date.now() - started) / 1000;
    ReadModelMetrics.snapshotSeconds.set(seconds);
    this.logger.log(
      `loaded ${this.model.size} organizations (${snapshot.rows} rows, projection as of ${snapshot.asOf}) in ${seconds} s`,
    );
    return Object.assign(snapshot, { startedMs: started });
  }

  /**
   * Where the consumer starts per partition: the snapshot's offsets, or earlier on the usage and
   * admission topics by the id warm-up, and never below what the topic still holds.
   */
  private async startPositions(from: SnapshotOffsets, warmupSinceMs: number): Promise<SnapshotOffsets> {
    const admin = await this.kafka.sharedAdmin();
    const start = new SnapshotOffsets();
    for (const [index, topic] of this.follower.topicNames.entries()) {
      const low = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.low)]));
      const warm =
        index === TopicIndex.access
          ? new Map<number, number>()
          : new Map(
              (await admin.fetchTopicOffsetsByTimestamp(topic, warmupSinceMs)).map((p) => [
                p.partition,
                Number(p.offset),
              ]),
            );
      for (const [partition, lowest] of low) {
        // Checked beforehand: a stored offset below the topic's start was refused.
        const snapshotAt = Math.max(lowest, from.get(index, partition));
        from.set(index, partition, snapshotAt);
        start.set(
          index,
          partition,
          Math.max(lowest, Math.min(snapshotAt, warm.get(partition) ?? snapshotAt)),
        );
      }
    }
    return start;
  }
}
