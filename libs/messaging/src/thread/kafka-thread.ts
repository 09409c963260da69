import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PlatformConfig } from '@metergate/platform';
import type { OutgoingMessage } from '../event-publisher';
import { PublishFailedError } from '../event-publisher';
import type {
  FromKafkaThread,
  KafkaThreadSettings,
  ThreadBatch,
  ThreadConsumerOptions,
  ToKafkaThread,
} from './kafka-thread.protocol';

/** How long the thread gets at shutdown to stop its consumers and send what it was given. */
const CLOSE_WAIT_MS = 15_000;

/**
 * Under the test runner the apps run from TypeScript sources, which a worker thread cannot load by
 * itself: the runner names a module that teaches it (test/support/typescript-worker.js).
 */
const SOURCE_LOADER = 'METERGATE_WORKER_SOURCE_LOADER';

export interface ThreadConsumer {
  stop(): Promise<void>;
}

interface Subscription {
  options: ThreadConsumerOptions;
  handle(batch: ThreadBatch): Promise<void>;
  stopped?: () => void;
}

/**
 * An EventPublisher and consumers on a worker thread of their own, for an app whose own thread is its
 * bottleneck (the decision app, answering checks): kafkajs's encoding, checksums, fetch decoding and
 * timers cost about a tenth of that thread's time under load. Only record values cross between the
 * threads; a consumer can pass over records by a header there, before they cost anything here. Batches
 * are applied here one at a time per consumer, as ManagedConsumer applies them, and a handler's
 * failure is the consumer's (the batch is retried). If the thread dies, a new one takes over: what was
 * being published fails (the caller's retry sends it again) and consumers start over from `startAt`.
 */
@Injectable()
export class KafkaThread implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaThread.name);
  private worker?: Worker;
  private nextId = 0;
  private readonly publishing = new Map<number, { resolve(): void; reject(error: Error): void }>();
  private readonly subscriptions = new Map<number, Subscription>();
  private closing?: Promise<void>;

  constructor(private readonly config: PlatformConfig) {}

  /** Resolves once Kafka has acknowledged every message (EventPublisher.publish, on the thread). */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const id = (this.nextId += 1);
    return new Promise<void>((resolve, reject) => {
      this.publishing.set(id, { resolve, reject });
      this.post({ kind: 'publish', id, topic, messages });
    });
  }

  /** A ManagedConsumer on the thread, whose batches `handle` applies here. */
  consume(options: ThreadConsumerOptions, handle: (batch: ThreadBatch) => Promise<void>): ThreadConsumer {
    const id = (this.nextId += 1);
    const subscription: Subscription = { options, handle };
    this.subscriptions.set(id, subscription);
    this.post({ kind: 'consume', id, options });
    return {
      stop: () => {
        if (!this.subscriptions.has(id)) return Promise.resolve();
        if (!this.worker) {
          this.subscriptions.delete(id);
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => {
          subscription.stopped = resolve;
          this.post({ kind: 'stop-consumer', id });
        });
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.worker) return;
    this.closing ??= new Promise<void>((resolve) => {
      const worker = this.worker!;
      const timer = setTimeout(() => void worker.terminate(), CLOSE_WAIT_MS);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.post({ kind: 'close' });
    });
    await this.closing;
  }

  private post(message: ToKafkaThread): void {
    (this.worker ?? this.spawn()).postMessage(message);
  }

  private spawn(): Worker {
    const source = extname(__filename) === '.ts';
    const loader = process.env[SOURCE_LOADER];
    if (source && !loader)
      throw new Error(`${SOURCE_LOADER} must name a TypeScript loader for worker threads`);
    const settings: KafkaThreadSettings = {
      KAFKA_CLIENT_ID: this.config.KAFKA_CLIENT_ID,
      KAFKA_BROKERS: this.config.KAFKA_BROKERS,
    };
    const worker = new Worker(join(__dirname, `kafka-thread.worker${extname(__filename)}`), {
      workerData: settings,
      execArgv: source ? [...process.execArgv, '--require', loader!] : undefined,
    });
    worker.on('message', (message: FromKafkaThread) => this.receive(message));
    worker.on('error', (error) =>
      this.logger.error(`the Kafka thread failed: ${error.stack ?? error.message}`),
    );
    worker.on('exit', () => this.exited(worker));
    // The thread never keeps the process alive: shutdown closes it.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private receive(message: FromKafkaThread): void {
    switch (message.kind) {
      case 'published': {
        const publishing = this.publishing.get(message.id);
        this.publishing.delete(message.id);
        if (message.error === undefined) publishing?.resolve();
        else publishing?.reject(new PublishFailedError(message.error));
        return;
      }
      case 'batch': {
        const subscription = this.subscriptions.get(message.consumer);
        const applied = subscription ? subscription.handle(message.batch) : Promise.resolve();
        applied.then(
          () => this.post({ kind: 'applied', id: message.id }),
          (error: Error) => this.post({ kind: 'applied', id: message.id, error: error.message }),
        );
        return;
      }
      case 'consumer-stopped': {
        const subscription = this.subscriptions.get(message.id);
        this.subscriptions.delete(message.id);
        subscription?.stopped?.();
        return;
      }
      case 'log':
        new Logger(message.context)[message.level](message.message);
        return;
      case 'closed':
        void this.worker?.terminate();
        return;
    }
  }

  private exited(worker: Worker): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    const lost = new PublishFailedError('the Kafka thread ended before Kafka acknowledged');
    for (const publishing of this.publishing.values()) publishing.reject(lost);
    this.publishing.clear();
    if (this.closing) {
      for (const subscription of this.subscriptions.values()) subscription.stopped?.();
      this.subscriptions.clear();
      return;
    }
    this.logger.error('the Kafka thread ended unexpectedly; a new one takes over');
    for (const [id, { options }] of this.subscriptions) this.post({ kind: 'consume', id, options });
  }
}
