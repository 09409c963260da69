import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { CallAdmission } from '@metergate/contracts';
import { EventPublisher, KafkaClient, keyPartitioner } from '@metergate/messaging';
import { Backoff, counter, gauge } from '@metergate/platform';
import { DecisionConfig } from '../decision.config';
import { REPLICA_HEADER, ReplicaIdentity } from '../replica-identity';
import { Release, admissionRecordsV1, admissionRecordsV2, releaseRecords } from './admission-records';
import type { OrgCheck } from './decide.service';

const published = counter({
  name: 'decision_admissions_published_total',
  help: 'Admissions Kafka acknowledged.',
});
const unpublished = gauge({
  name: 'decision_admissions_unpublished',
  help: 'Admissions counted here and not yet on Kafka (bound: DECISION_ADMISSION_QUEUE_MAX).',
});
const dropped = counter({
  name: 'decision_admissions_dropped_total',
  help: 'Admissions dropped during an outage beyond DECISION_ADMISSION_QUEUE_MAX (their usage events still count the calls).',
});

/**
 * Publishes this replica's admissions (and releases of reservations) to the admissions topic in
 * batches, at least every DECISION_ADMISSION_FLUSH_MS: that interval bounds what a crash can lose, and
 * how late the other replicas learn of an admission. A batch Kafka refuses is kept and retried, in
 * order, up to DECISION_ADMISSION_QUEUE_MAX admissions; beyond it the oldest are dropped. Once the
 * topic's partition count is known, a flush sends one v2 record per partition rather than one v1
 * record per call.
 */
@Injectable()
export class AdmissionPublisher implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(AdmissionPublisher.name);
  private queue: CallAdmission[] = [];
  private releases: Release[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private readonly backoff = new Backoff(200, 5_000);
  private failing = false;
  private partitionOf?: (orgId: string) => number;
  private lookingUpPartitions = false;
  /** The last admission time and its ISO forms (with its reservations' end): checks of one millisecond share them. */
  private lastMs = -1;
  private lastIso = '';
  private lastUntilMs = -1;
  private lastUntilIso = '';

  constructor(
    private readonly publisher: EventPublisher,
    private readonly kafka: KafkaClient,
    private readonly config: DecisionConfig,
    private readonly replica: ReplicaIdentity,
  ) {}

  admitted(check: OrgCheck, requestId: string, nowMs: number, reservedUntilMs: number | undefined): void {
    if (nowMs !== this.lastMs) {
      this.lastMs = nowMs;
      this.lastIso = new Date(nowMs).toISOString();
    }
    const admission: CallAdmission = {
      id: requestId,
      occurredAt: this.lastIso,
      orgId: check.orgId,
      endpoint: check.endpointName,
      hits: check.hits,
    };
    if (check.userId !== undefined) admission.userId = check.userId;
    if (check.keyId !== undefined) admission.keyId = check.keyId;
    if (check.model !== undefined) admission.model = check.model;
    if (reservedUntilMs !== undefined) {
      admission.chars = check.chars;
      if (reservedUntilMs !== this.lastUntilMs) {
        this.lastUntilMs = reservedUntilMs;
        this.lastUntilIso = new Date(reservedUntilMs).toISOString();
      }
      admission.reservedUntil = this.lastUntilIso;
    }
    if (this.queue.length >= this.config.DECISION_ADMISSION_QUEUE_MAX) {
      this.queue.shift();
      dropped.inc();
    }
    this.queue.push(admission);
    this.schedule();
  }

  released(orgId: string, requestId: string, nowMs: number): void {
    this.releases.push({ orgId, id: requestId, occurredAt: new Date(nowMs).toISOString() });
    this.schedule();
  }

  get backlog(): number {
    return this.queue.length;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flush(), this.config.DECISION_ADMISSION_FLUSH_MS);
  }

  /** Sends what is queued; resolves once Kafka acknowledged it or the attempt failed (then retried). */
  async flush(): Promise<void> {
    this.timer = undefined;
    if (this.inFlight) {
      await this.inFlight;
      if ((this.queue.length > 0 || this.releases.length > 0) && !this.timer) return this.flush();
      return;
    }
    if (this.queue.length === 0 && this.releases.length === 0) return;
    this.lookUpPartitions();
    const batch = this.queue;
    const releases = this.releases;
    this.queue = [];
    this.releases = [];
    unpublished.set(batch.length);
    const now = new Date().toISOString();
    const records = [
      ...(this.partitionOf
        ? admissionRecordsV2(batch, this.partitionOf, now, randomUUID)
        : admissionRecordsV1(batch)),
      ...releaseRecords(releases, now),
    ];
    const headers = { [REPLICA_HEADER]: this.replica.id };
    for (const record of records) record.headers = headers;
    this.inFlight = this.publisher.publish(this.config.CALLS_ADMITTED_TOPIC, records).then(
      () => {
        this.failing = false;
        this.backoff.reset();
        published.inc(batch.length);
      },
      (error: Error) => {
        this.failing = true;
        this.queue = batch.concat(this.queue);
        this.releases = releases.concat(this.releases);
        const excess = this.queue.length - this.config.DECISION_ADMISSION_QUEUE_MAX;
        if (excess > 0) {
          this.queue.splice(0, excess);
          dropped.inc(excess);
        }
        this.logger.warn(`admissions not published (${error.message}); ${this.queue.length} kept for retry`);
      },
    );
    await this.inFlight;
    this.inFlight = undefined;
    unpublished.set(this.queue.length);
    if ((this.queue.length > 0 || this.releases.length > 0) && !this.timer) {
      const delay = this.failing ? this.backoff.next() : this.config.DECISION_ADMISSION_FLUSH_MS;
      this.timer = setTimeout(() => void this.flush(), delay);
    }
  }

  /** Once, in the background: until it answers, flushes send v1 records, which need no partition count. */
  private lookUpPartitions(): void {
    if (this.partitionOf || this.lookingUpPartitions) return;
    this.lookingUpPartitions = true;
    const topic = this.config.CALLS_ADMITTED_TOPIC;
    this.kafka
      .sharedAdmin()
      .then((admin) => admin.fetchTopicMetadata({ topics: [topic] }))
      .then(({ topics }) => {
        const count = topics.find((t) => t.name === topic)?.partitions.length ?? 0;
        if (count > 0) this.partitionOf = keyPartitioner(count);
      })
      .catch((error: Error) => this.logger.warn(`partitions of ${topic} unknown yet: ${error.message}`))
      .finally(() => (this.lookingUpPartitions = false));
  }

  /** Before the producer disconnects (MessagingModule's own destroy hook), everything queued is sent. */
  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length > 0)
      this.logger.error(`${this.queue.length} admissions could not be published before shutdown`);
  }
}
