import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { CALL_ADMITTED, CallAdmittedV1 } from '@metergate/contracts';
import { EventPublisher, OutgoingMessage } from '@metergate/messaging';
import { Counter, Gauge, register } from 'prom-client';
import { DecisionConfig } from '../decision.config';

const published =
  (register.getSingleMetric('decision_admissions_published_total') as Counter | undefined) ??
  new Counter({ name: 'decision_admissions_published_total', help: 'Admissions Kafka acknowledged.' });
const unpublished =
  (register.getSingleMetric('decision_admissions_unpublished') as Gauge | undefined) ??
  new Gauge({
    name: 'decision_admissions_unpublished',
    help: 'Admissions counted here and not yet on Kafka.',
  });

/**
 * Publishes this replica's admissions to `decision.admitted.v1` in batches, at least every
 * DECISION_ADMISSION_FLUSH_MS: that interval bounds what a crash can lose, and how late the other
 * replicas learn of an admission. A batch Kafka refuses is kept and retried, in order.
 */
@Injectable()
export class AdmissionPublisher implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(AdmissionPublisher.name);
  private queue: OutgoingMessage[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private failures = 0;

  constructor(
    private readonly publisher: EventPublisher,
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
    const at = new Date(nowMs).toISOString();
    const event: CallAdmittedV1 = {
      type: CALL_ADMITTED,
      version: 1,
      id: requestId,
      occurredAt: at,
      recordedAt: at,
      payload: { orgId, endpoint, hits },
    };
    if (userId !== undefined) event.payload.userId = userId;
    if (model !== undefined) event.payload.model = model;
    this.queue.push({ key: orgId, value: JSON.stringify(event) });
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
    const batch = this.queue;
    this.queue = [];
    unpublished.set(batch.length);
    this.inFlight = this.publisher.publish(this.config.CALLS_ADMITTED_TOPIC, batch).then(
      () => {
        this.failures = 0;
        published.inc(batch.length);
      },
      (error: Error) => {
        this.failures += 1;
        this.queue = batch.concat(this.queue);
        this.logger.warn(`admissions not published (${error.message}); ${this.queue.length} kept for retry`);
      },
    );
    await this.inFlight;
    this.inFlight = undefined;
    unpublished.set(this.queue.length);
    if (this.queue.length > 0 && !this.timer) {
      const delay =
        this.failures > 0
          ? Math.min(100 * 2 ** this.failures, 5_000)
          : this.config.DECISION_ADMISSION_FLUSH_MS;
      this.timer = setTimeout(() => void this.flush(), delay);
    }
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
