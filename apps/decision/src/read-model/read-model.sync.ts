import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { decodeCallAdmissions, decodeJson, decodeUsageRecordedV1 } from '@metergate/contracts';
import { DatabaseConnection } from '@metergate/database';
import { KafkaClient, ManagedConsumer, PartitionBatch, TopicAdmin } from '@metergate/messaging';
import { ReadinessChecks, retryWithBackoff } from '@metergate/platform';
import { DecisionConfig } from '../decision.config';
import { decodeAccessState } from './access-event.decoder';
import { OrgEntry } from './org-entry';
import { CallFact } from './org-snapshot';
import { ReadModel } from './read-model';
import { ReadModelMetrics } from './read-model.metrics';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';
import { SnapshotReader } from './snapshot.reader';

const SWEEP_MS = 1000;
/** A first-sight load slower than this answers from a provisional (stale) entry instead of waiting. */
const LOAD_TIMEOUT_MS = 2000;
const MAX_CONCURRENT_LOADS = 4;
const STOP_WAIT_MS = 1000;

/**
 * Keeps the read model fed: this replica's own consumer of the three topics (its own group, so every
 * replica sees every partition), probes of the topics' ends for freshness, the projector's offsets for
 * pruning, batched organization loads, and eviction.
 */
@Injectable()
export class ReadModelSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelSync.name);
  private readonly consumer: ManagedConsumer;
  private readonly topicIndex: Map<string, TopicIndex>;
  private readonly topicNames: string[];
  private readonly startPositions = new SnapshotOffsets();
  private readonly loading = new Map<string, Promise<OrgEntry>>();
  private readonly queued = new Map<string, ((entry: OrgEntry) => void)[]>();
  private activeLoads = 0;
  private flushScheduled = false;
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private started = false;

  constructor(
    private readonly model: ReadModel,
    private readonly reader: SnapshotReader,
    private readonly config: DecisionConfig,
    private readonly database: DatabaseConnection,
    private readonly topics: TopicAdmin,
    private readonly kafka: KafkaClient,
    readiness: ReadinessChecks,
  ) {
    this.topicNames = [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC, config.ACCESS_EVENTS_TOPIC];
    this.topicIndex = new Map(this.topicNames.map((name, i) => [name, i as TopicIndex]));
    this.consumer = new ManagedConsumer(kafka, {
      groupId: `${config.DECISION_GROUP_PREFIX}.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}`,
      topics: this.topicNames,
      fromBeginning: true,
      maxWaitTimeInMs: 20,
      // The group is this process's alone and never resumed from (resumePositions places every start),
      // so a commit after each batch would only put broker round trips between fetches.
      commitIntervalMs: 60_000,
      handleBatch: async (batch) => this.applyBatch(batch),
      resumePositions: async (assigned) =>
        assigned
          .filter((a) => this.topicIndex.get(a.topic) !== TopicIndex.access)
          .map((a) => ({
            ...a,
            offset: String(this.startPositions.get(this.topicIndex.get(a.topic)!, a.partition)),
          })),
    });
    readiness.register('read-model', async () => {
      const now = Date.now();
      const staleness = this.model.stalenessMs(now);
      if (!this.started) throw new Error('read model not started yet');
      if (this.model.isStale(now)) {
        throw new Error(
          `read model stale for ${Number.isFinite(staleness) ? `${staleness} ms` : 'ever'} ` +
            `(threshold ${this.config.DECISION_STALENESS_THRESHOLD_MS} ms): rate limits ` +
            `${this.config.DECISION_STALE_RATE_POLICY}, quotas ${this.config.DECISION_STALE_QUOTA_POLICY}`,
        );
      }
      return { stalenessMs: staleness, orgs: this.model.size, pendingEvents: this.model.pendingEvents };
    });
  }

  onApplicationBootstrap(): void {
    void this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.timers.forEach((t) => clearInterval(t));
    // ManagedConsumer.stop() leaves the group at once but then waits for a crash event that a clean
    // disconnect never emits (reported to libs/messaging); it is bounded here so shutdown completes.
    await Promise.race([
      this.consumer.stop(),
      new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref()),
    ]);
  }

  /** The organization's entry, at once when in memory, else once loaded (batched with other loads). */
  ensure(orgId: string): OrgEntry | Promise<OrgEntry> {
    const entry = this.model.get(orgId);
    if (entry) return entry;
    let loading = this.loading.get(orgId);
    if (!loading) {
      loading = new Promise<OrgEntry>((resolve) => this.enqueue(orgId, resolve)).finally(() =>
        this.loading.delete(orgId),
      );
      this.loading.set(orgId, loading);
    }
    return loading;
  }

  private async start(): Promise<void> {
    // Housekeeping and gauges run from the start: a replica that cannot reach Kafka must still say so.
    this.timers.push(setInterval(() => void this.sweep(), SWEEP_MS));
    this.timers.forEach((t) => t.unref());
    this.publishGauges();
    await this.database.whenConnected();
    const partitions = this.config.KAFKA_TOPIC_PARTITIONS;
    const ready = await this.topics.ensureTopicsWithRetry(
      this.topicNames.map((topic) => ({ topic, partitions })),
    );
    if (!ready || this.stopping) return;
    await this.locateStart();
    if (this.stopping) return;
    this.consumer.start();
    this.started = true;
    const probe = setInterval(() => void this.probeEnds(), this.config.DECISION_FRESHNESS_PROBE_MS);
    probe.unref();
    this.timers.push(probe);
  }

  /**
   * Where the consumer starts: the projector's offsets (everything before is in the tables a load
   * reads), or a partition's earliest offset when the projector has not read it yet.
   */
  private async locateStart(): Promise<void> {
    await retryWithBackoff(
      async () => {
        const { offsets } = await this.reader.projectorOffsets();
        const admin = await this.kafka.sharedAdmin();
        for (const [name, topic] of this.topicIndex) {
          for (const p of await admin.fetchTopicOffsets(name)) {
            const start = Math.max(
              Number(p.low),
              topic === TopicIndex.access ? 0 : offsets.get(topic, p.partition),
            );
            this.startPositions.set(topic, p.partition, start);
            this.model.positions.set(topic, p.partition, start);
          }
        }
        this.model.observeProjected(offsets);
      },
      { what: 'locate start positions', logger: this.logger, stopped: () => this.stopping, maxMs: 5_000 },
    );
  }

  private async applyBatch(batch: PartitionBatch): Promise<void> {
    const topic = this.topicIndex.get(batch.topic);
    if (topic === undefined) return;
    const now = Date.now();
    for (const message of batch.messages) this.applyMessage(topic, batch.partition, message, now);
    const last = batch.messages[batch.messages.length - 1];
    this.model.consumed(topic, batch.partition, Number(last.offset) + 1);
  }

  private applyMessage(
    topic: TopicIndex,
    partition: number,
    message: PartitionBatch['messages'][number],
    now: number,
  ): void {
    const offset = Number(message.offset);
    try {
      const raw = decodeJson(message.value);
      // One call fact per usage event (one call) or admission (its hits), placed where the call happened.
      const call = (
        from: CallFact['topic'],
        event: { id: string; occurredAt: string },
        orgId: string,
        endpoint: string,
        calls: number,
        chars: number,
      ) =>
        this.model.applyCall(
          orgId,
          {
            topic: from,
            partition,
            offset,
            id: event.id,
            endpoint: this.model.policy.indexOf(endpoint),
            atMs: Date.parse(event.occurredAt),
            calls,
            chars,
          },
          now,
        );
      switch (topic) {
        case TopicIndex.usage: {
          const event = decodeUsageRecordedV1(raw);
          const p = event.payload;
          call(TopicIndex.usage, event, p.orgId, p.endpoint, 1, p.inputChars + p.outputChars);
          break;
        }
        case TopicIndex.admitted: {
          // A v2 record's admissions all share its offset.
          for (const event of decodeCallAdmissions(raw)) {
            const p = event.payload;
            call(TopicIndex.admitted, event, p.orgId, p.endpoint, p.hits, 0);
          }
          break;
        }
        case TopicIndex.access: {
          const { orgId, access } = decodeAccessState(raw);
          this.model.applyAccess(orgId, access);
          break;
        }
      }
    } catch (error) {
      // A malformed event must not stop the replica: it is skipped and counted, as the projector does.
      ReadModelMetrics.badEvents.inc({ topic: this.topicNames[topic] });
      this.logger.warn(
        `skipped ${this.topicNames[topic]}[${partition}]@${offset}: ${(error as Error).message}`,
      );
    }
  }

  private async probeEnds(): Promise<void> {
    const probedAt = Date.now();
    try {
      const admin = await this.kafka.sharedAdmin();
      const ends = new SnapshotOffsets();
      for (const [name, topic] of this.topicIndex) {
        for (const p of await admin.fetchTopicOffsets(name)) ends.set(topic, p.partition, Number(p.offset));
      }
      this.model.observeTopicEnds(ends, probedAt);
    } catch (error) {
      this.logger.debug?.(`freshness probe failed: ${(error as Error).message}`);
    } finally {
      this.publishGauges();
    }
  }

  private async sweep(): Promise<void> {
    try {
      const { offsets } = await this.reader.projectorOffsets();
      this.model.observeProjected(offsets);
    } catch (error) {
      this.logger.debug?.(`cannot read projector offsets: ${(error as Error).message}`);
    }
    const evicted = this.model.sweep(Date.now());
    if (evicted > 0) ReadModelMetrics.evictions.inc(evicted);
    for (const orgId of this.model.incompleteOrgs())
      if (!this.queued.has(orgId)) this.enqueue(orgId, () => undefined);
    this.publishGauges();
  }

  private publishGauges(): void {
    const now = Date.now();
    const staleness = this.model.stalenessMs(now);
    ReadModelMetrics.staleness.set(Number.isFinite(staleness) ? staleness / 1000 : -1);
    ReadModelMetrics.stale.set(this.model.isStale(now) ? 1 : 0);
    ReadModelMetrics.orgs.set(this.model.size);
    ReadModelMetrics.pendingEvents.set(this.model.pendingEvents);
  }

  private enqueue(orgId: string, resolve: (entry: OrgEntry) => void): void {
    const waiting = this.queued.get(orgId);
    if (waiting) waiting.push(resolve);
    else this.queued.set(orgId, [resolve]);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.activeLoads >= MAX_CONCURRENT_LOADS || this.queued.size === 0) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = new Map<string, ((entry: OrgEntry) => void)[]>();
    for (const [orgId, waiting] of this.queued) {
      batch.set(orgId, waiting);
      this.queued.delete(orgId);
      if (batch.size >= this.config.DECISION_LOAD_BATCH) break;
    }
    this.activeLoads += 1;
    this.scheduleFlush();
    const ids = [...batch.keys()];
    let settled = false;
    const timeout = setTimeout(() => {
      settled = true;
      ReadModelMetrics.loads.inc({ outcome: 'timeout' }, ids.length);
      this.logger.warn(
        `loading ${ids.length} organizations takes over ${LOAD_TIMEOUT_MS} ms; answering provisionally`,
      );
      this.settle(batch, (orgId) => this.model.installProvisional(orgId, Date.now()));
    }, LOAD_TIMEOUT_MS);
    try {
      await this.database.whenConnected();
      const snapshot = await this.reader.load(ids, Date.now());
      const installed = Date.now();
      ReadModelMetrics.loads.inc({ outcome: 'loaded' }, ids.length);
      if (settled) ids.forEach((orgId) => this.model.install(orgId, snapshot, installed));
      else this.settle(batch, (orgId) => this.model.install(orgId, snapshot, installed));
    } catch (error) {
      ReadModelMetrics.loads.inc({ outcome: 'failed' }, ids.length);
      this.logger.warn(
        `cannot load ${ids.length} organizations (${(error as Error).message}); answering provisionally`,
      );
      if (!settled)
        this.settle(
          batch,
          (orgId) => this.model.get(orgId) ?? this.model.installProvisional(orgId, Date.now()),
        );
    } finally {
      clearTimeout(timeout);
      this.activeLoads -= 1;
      this.scheduleFlush();
    }
  }

  private settle(
    batch: Map<string, ((entry: OrgEntry) => void)[]>,
    install: (orgId: string) => OrgEntry,
  ): void {
    for (const [orgId, waiting] of batch) {
      const entry = install(orgId);
      waiting.forEach((resolve) => resolve(entry));
    }
  }
}
