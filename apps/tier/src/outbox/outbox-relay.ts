import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection, inTransaction } from '@metergate/database';
import { EventPublisher, TopicAdmin } from '@metergate/messaging';
import { Backoff, ReadinessChecks, counter } from '@metergate/platform';
import { DataSource } from 'typeorm';
import { TierConfig } from '../tier.config';
import { OutboxSql } from './outbox.sql';
import { OutboxSignal } from './outbox-signal';

const published = counter({
  name: 'metergate_access_events_published_total',
  help: 'Access events the outbox relay published to Kafka and marked sent.',
});

const SHUTDOWN_GRACE_MS = 3_000;

/**
 * Drains access_outbox to Kafka, oldest first. A row is marked sent only after Kafka acknowledged it,
 * in the transaction that read it, so a crash or an outage can only make the relay publish a row again
 * (consumers keep the newest aggregateVersion, so a repeat changes nothing), never skip one. While Kafka
 * is down the relay retries with backoff; commands keep committing into the outbox meanwhile.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private stopping = false;
  private running?: Promise<void>;
  private markStopping!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.markStopping = resolve));

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: DatabaseConnection,
    private readonly publisher: EventPublisher,
    private readonly topics: TopicAdmin,
    private readonly signal: OutboxSignal,
    private readonly config: TierConfig,
    readiness: ReadinessChecks,
  ) {
    readiness.register('access-outbox', async () => {
      if (!this.dataSource.isInitialized) throw new Error('not connected yet');
      const [{ unsent }]: { unsent: number }[] = await this.dataSource.query(OutboxSql.countUnsent);
      return { unsent };
    });
  }

  onApplicationBootstrap(): void {
    this.running = this.relayLoop();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.markStopping();
    this.signal.notify();
    // An attempt stuck on an unreachable Kafka must not hold up shutdown. Abandoning it is safe: its
    // transaction dies with the connection pool and its rows stay unsent for the next start.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([this.running, grace]);
    clearTimeout(timer);
  }

  private async relayLoop(): Promise<void> {
    await Promise.race([this.database.whenConnected(), this.stopped]);
    let topicReady = false;
    const backoff = new Backoff(250, 5_000);
    while (!this.stopping) {
      try {
        if (!topicReady) {
          await this.topics.ensureTopics([
            { topic: this.config.ACCESS_EVENTS_TOPIC, partitions: this.config.KAFKA_TOPIC_PARTITIONS },
          ]);
          topicReady = true;
        }
        const sent = await this.relayBatch();
        backoff.reset();
        if (sent < this.config.OUTBOX_BATCH_SIZE) await this.signal.wait(this.config.OUTBOX_POLL_INTERVAL_MS);
      } catch (error) {
        const delay = backoff.next();
        this.logger.warn(
          `access events not published yet (${(error as Error).message}); retrying in ${delay} ms`,
        );
        await this.signal.wait(delay);
      }
    }
  }

  /** Publishes one batch of unsent rows in outbox order; returns how many it sent. */
  private async relayBatch(): Promise<number> {
    return inTransaction(this.dataSource, async (tx) => {
      const [{ locked }]: { locked: boolean }[] = await tx.query(OutboxSql.tryRelayLock);
      if (!locked) return 0;
      const rows: { id: string; org_id: string; message: string }[] = await tx.query(OutboxSql.unsentOutbox, [
        this.config.OUTBOX_BATCH_SIZE,
      ]);
      if (rows.length === 0) return 0;
      await this.publisher.publish(
        this.config.ACCESS_EVENTS_TOPIC,
        rows.map((row) => ({ key: row.org_id, value: row.message })),
      );
      await tx.query(OutboxSql.markSent, [rows.map((row) => row.id)]);
      published.inc(rows.length);
      return rows.length;
    });
  }
}
