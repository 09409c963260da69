import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
} from '@nestjs/common';
import { EventPublisher, TopicAdmin } from '@metergate/messaging';
import { Backoff, counter, gauge } from '@metergate/platform';
import { DecisionConfig } from '../decision.config';
import { DenialCounter, MINUTE_MS } from './denial-counter';
import { DenialRecord, denialRecords } from './denial-records';

const pendingCounts = gauge({
  name: 'decision_denial_counts_pending',
  help: 'Denial counts (organization, reason, minute) held here and not yet acknowledged by Kafka.',
});
const droppedDenials = counter({
  name: 'decision_denials_dropped_total',
  help: 'Denials left out of the published counts because DECISION_DENIALS_MAX_COUNTS was reached.',
});
const publishedDenials = counter({
  name: 'decision_denials_published_total',
  help: 'Denials whose counts Kafka acknowledged.',
});

/**
 * Counts this replica's denials per organization, reason and minute, and publishes each minute's counts
 * to DENIALS_TOPIC once the minute is over (and what it holds at shutdown). A check pays only a map
 * increment; Kafka is reached once a minute.
 *
 * Records Kafka refuses are sent again, the same records with the same counts, with backoff: a consumer
 * keeps one count per (replica, org, minute, reason), so a record that was written after all and comes
 * twice changes nothing. Memory stays bounded while Kafka is away: the unsent records keep at most
 * DECISION_DENIALS_MAX_COUNTS counts, the oldest dropped first.
 */
@Injectable()
export class DenialPublisher implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  /** Unique per process, so that a restarted replica's counts never replace those it published before. */
  readonly replicaId = `${hostname()
    .replace(/[^A-Za-z0-9._-]/g, '')
    .slice(0, 100)}-${randomBytes(6).toString('hex')}`;
  private readonly logger = new Logger(DenialPublisher.name);
  private readonly counter: DenialCounter;
  private unsent: DenialRecord[] = [];
  private unsentKeys = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly backoff = new Backoff(500, 30_000);
  private stopping = false;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly topics: TopicAdmin,
    private readonly config: DecisionConfig,
  ) {
    this.counter = new DenialCounter(config.DECISION_DENIALS_MAX_COUNTS);
  }

  /** The hot path: a check was denied for `reason` at `nowMs`. */
  denied(orgId: string, reason: string, nowMs: number): void {
    const counted = this.counter.count(orgId, reason, nowMs);
    if (counted === 'new') pendingCounts.inc();
    else if (counted === 'dropped') droppedDenials.inc();
    this.timer ??= this.after(MINUTE_MS - (nowMs % MINUTE_MS));
  }

  /** The projector creates the topic too; whichever app starts first does it, with the same partitions. */
  onApplicationBootstrap(): void {
    void this.topics.ensureTopicsWithRetry([
      { topic: this.config.DENIALS_TOPIC, partitions: this.config.KAFKA_TOPIC_PARTITIONS },
    ]);
  }

  private after(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timer = undefined;
      // After the last try at shutdown, what is still counted is reported there, not sent.
      if (this.stopping) return;
      this.running ??= this.publish(false).finally(() => (this.running = undefined));
    }, delayMs);
    timer.unref();
    return timer;
  }

  /** Takes the minutes that are over (or everything, at shutdown) and sends them with what is unsent. */
  private async publish(everything: boolean): Promise<void> {
    const now = Date.now();
    const minutes = everything ? this.counter.takeAll(now) : this.counter.takeClosed(now);
    this.keep(denialRecords(minutes, this.replicaId, new Date(now).toISOString(), randomUUID));
    const sending = this.unsent;
    if (sending.length > 0) {
      try {
        await this.publisher.publish(
          this.config.DENIALS_TOPIC,
          sending.map((r) => r.message),
        );
        // Nothing else changes `unsent` meanwhile: publish runs one at a time.
        this.unsent = [];
        this.unsentKeys = 0;
        publishedDenials.inc(sending.reduce((sum, r) => sum + r.denials, 0));
        this.backoff.reset();
      } catch (error) {
        this.logger.warn(
          `denial counts not published (${(error as Error).message}); ${this.unsentKeys} kept for retry`,
        );
        if (!this.stopping) this.timer ??= this.after(this.backoff.next());
      }
    }
    pendingCounts.set(this.counter.pending + this.unsentKeys);
    if (!this.stopping && this.counter.pending > 0) {
      this.timer ??= this.after(MINUTE_MS - (Date.now() % MINUTE_MS));
    }
  }

  /** Adds records to the unsent ones, dropping the oldest beyond the bound. */
  private keep(records: DenialRecord[]): void {
    this.unsent.push(...records);
    this.unsentKeys += records.reduce((sum, r) => sum + r.keys, 0);
    while (this.unsentKeys > this.config.DECISION_DENIALS_MAX_COUNTS && this.unsent.length > 1) {
      const oldest = this.unsent.shift()!;
      this.unsentKeys -= oldest.keys;
      droppedDenials.inc(oldest.denials);
    }
  }

  /** Before the producer disconnects (MessagingModule's shutdown hook): one last try with everything. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.publish(true);
  }

  onApplicationShutdown(): void {
    const left = this.unsentKeys + this.counter.pending;
    if (left > 0) this.logger.error(`${left} denial counts could not be published before shutdown`);
  }
}
