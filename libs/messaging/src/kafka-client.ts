import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PlatformConfig, ReadinessChecks, withTimeout } from '@metergate/platform';
import { Admin, Kafka, logLevel, LogEntry } from 'kafkajs';

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
const KNOWN_AND_HANDLED = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** The app's one kafkajs instance. kafkajs is unmaintained, so nothing outside this lib imports it directly. */
@Injectable()
export class KafkaClient implements OnApplicationShutdown {
  readonly kafka: Kafka;
  private admin?: Promise<Admin>;
  private readonly logger = new Logger('kafkajs');

  constructor(config: PlatformConfig, readiness: ReadinessChecks) {
    this.kafka = new Kafka({
      clientId: config.KAFKA_CLIENT_ID,
      brokers: config.KAFKA_BROKERS,
      connectionTimeout: 3000,
      requestTimeout: 10000,
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
