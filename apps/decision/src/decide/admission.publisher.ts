import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { CallAdmission } from '@metergate/contracts';
import { EventPublisher, KafkaClient, keyPartitioner } from '@metergate/messaging';
import { Backoff, counter, gauge } from '@metergate/platform';
import { DecisionConfig } from '../decision.config';
import { admissionRecordsV1, admissionRecordsV2 } from './admission-records';

const published = counter({
  name: 'decision_admissions_published_total',
  help: 'Admissions Kafka acknowledged.',
});
const unpublished = gauge({
  name: 'decision_admissions_unpublished',
  help: 'Admissions counted here and not yet on Kafka.',
});

/**
 * Publishes this replica's admissions to `decision.admitted.v1` in batches, at least every
 * DECISION_ADMISSION_FLUSH_MS: that interval bounds what a crash can lose, and how late the other
 * replicas learn of an admission. A batch Kafka refuses is kept and retried, in order. Once the topic's
 * partition count is known, a flush sends one v2 record per partition rather than one v1 record per call.
 */
@Injectable()
export class AdmissionPublisher implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(AdmissionPublisher.name);
  private queue: CallAdmission[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private readonly backoff = new Backoff(200, 5_000);
  private failing = false;
  private partitionOf?: (orgId: string) => number;
  private lookingUpPartitions = false;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly kafka: KafkaClient,
    private readonly config: DecisionConfig,
  ) {}

  admitted(
    orgId: string,
    requestId: string,
    endpoint: string,
    model: string | undefined,
    userId: string | undefined,
    hits: number,
    nowMs: number,
  ): void {
    const admission: CallAdmission = {
      id: requestId,
      occurredAt: new Date(nowMs).toISOString(),
      orgId,
      endpoint,
      hits,
    };
    if (userId !== undefined) admission.userId = userId;
    if (model !== undefined) admission.model = model;
    this.queue.push(admission);
    this.timer ??= setTimeout(() => void this.flush(), this.config.DECISION_ADMISSION_FLUSH_MS);
  }

  get backlog(): number {
    return this.queue.length;
  }

  /** Sends what is queued; resolves once Kafka acknowledged it or the attempt failed (then retried). */
  async flush(): Promise<void> {
    this.timer = undefined;
    if (this.inFlight) {
      await this.inFlight;
      if (this.queue.length > 0 && !this.timer) return this.flush();
      return;
    }
    if (this.queue.length === 0) return;
    this.lookUpPartitions();
    const batch = this.queue;
    this.queue = [];
    unpublished.set(batch.length);
    const records = this.partitionOf
      ? admissionRecordsV2(batch, this.partitionOf, new Date().toISOString(), randomUUID)
      : admissionRecordsV1(batch);
    this.inFlight = this.publisher.publish(this.config.CALLS_ADMITTED_TOPIC, records).then(
      () => {
        this.failing = false;
        this.backoff.reset();
        published.inc(batch.length);
      },
      (error: Error) => {
        this.failing = true;
        this.queue = batch.concat(this.queue);
        this.logger.warn(`admissions not published (${error.message}); ${this.queue.length} kept for retry`);
      },
    );
    await this.inFlight;
    this.inFlight = undefined;
    unpublished.set(this.queue.length);
    if (this.queue.length > 0 && !this.timer) {
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
