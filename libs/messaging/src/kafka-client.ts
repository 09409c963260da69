import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PlatformConfig, ReadinessChecks, withTimeout } from '@metergate/platform';
import { Admin, Kafka, KafkaConfig, logLevel, LogEntry } from 'kafkajs';

const levels: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Warnings kafkajs repeats for choices made on purpose. Bounded retries keep a request from hanging while
 * Kafka is away; EventPublisher replaces the producer after any failed send, which is what keeps the
 * idempotence guarantee the warning is about.
 */
/** Longer than a consumer's session (20 s) with room for a busy broker's group round trips. */
const CONSUMER_REQUEST_TIMEOUT_MS = 60_000;

const KNOWN_AND_HANDLED = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** The app's kafkajs instances (one for producers and admin, one for consumers). kafkajs is unmaintained, so nothing outside this lib imports it directly. */
@Injectable()
export class KafkaClient implements OnApplicationShutdown {
  readonly kafka: Kafka;
  /**
   * The same cluster for consumers, whose requests may wait longer. Right after a broker restart, it was
   * seen answering a group's SyncGroup only after about 30 s, over and over: with the producers' 10 s,
   * kafkajs gave up each time and restarted the consumer as a new member of the group, and the projector
   * went minutes without partitions. Fetches answer within their max wait; only a broker that is
   * stuck makes a consumer wait this long.
   */
  readonly consumerKafka: Kafka;
  private admin?: Promise<Admin>;
  private readonly logger = new Logger('kafkajs');

  constructor(config: PlatformConfig, readiness: ReadinessChecks) {
    const settings = (requestTimeout: number): KafkaConfig => ({
      clientId: config.KAFKA_CLIENT_ID,
      brokers: config.KAFKA_BROKERS,
      connectionTimeout: 3000,
      requestTimeout,
      retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log }: LogEntry) => {
          const { message, ...extra } = log;
          if (KNOWN_AND_HANDLED.has(message)) return;
          this.logger[levels[level] ?? 'log']({ msg: message, ...extra });
        },
    });
    this.kafka = new Kafka(settings(10_000));
    this.consumerKafka = new Kafka(settings(CONSUMER_REQUEST_TIMEOUT_MS));
    readiness.register('kafka', async () => {
      const cluster = await withTimeout(
        this.sharedAdmin().then((a) => a.describeCluster()),
        2000,
        'Kafka',
      );
      return { brokers: cluster.brokers.length };
    });
  }

  /** One long-lived admin connection for probes and topic management; reconnects on its own. */
  sharedAdmin(): Promise<Admin> {
    // Memoized as a promise: concurrent first callers must share one connection, not each open one.
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
        return admin;
      } catch (error) {
        this.admin = undefined;
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
    })();
    return this.admin;
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect();
  }
}
