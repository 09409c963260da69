import { Logger, LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { PlatformConfig, ReadinessChecks } from '@metergate/platform';
import { EventPublisher } from '../event-publisher';
import { KafkaClient } from '../kafka-client';
import { ManagedConsumer, PartitionBatch } from '../managed-consumer';
import type {
  FromKafkaThread,
  KafkaThreadSettings,
  LogLevel,
  ThreadConsumerOptions,
  ThreadRecord,
  ToKafkaThread,
} from './kafka-thread.protocol';
import { headerIs } from './pass-over';

/** Consumers on their way out get this long; ManagedConsumer.stop() can wait on a crash that never comes. */
const STOP_WAIT_MS = 5_000;

/** This thread's log lines, written by the app's logger on the app's thread. */
class ForwardingLogger implements LoggerService {
  constructor(private readonly port: MessagePort) {}

  private forward(level: LogLevel, message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : 'kafka';
    this.port.postMessage({ kind: 'log', level, context, message } satisfies FromKafkaThread);
  }

  log = (message: unknown, ...params: unknown[]) => this.forward('log', message, params);
  error = (message: unknown, ...params: unknown[]) => this.forward('error', message, params);
  warn = (message: unknown, ...params: unknown[]) => this.forward('warn', message, params);
  debug = (message: unknown, ...params: unknown[]) => this.forward('debug', message, params);
  verbose = (message: unknown, ...params: unknown[]) => this.forward('verbose', message, params);
  fatal = (message: unknown, ...params: unknown[]) => this.forward('fatal', message, params);
}

/**
 * The Kafka thread (see KafkaThread): the app's producer and consumers, run here so that kafkajs's
 * encoding, checksums, fetch decoding and timers stay off the thread that answers requests.
 */
class KafkaThreadWorker {
  private readonly client: KafkaClient;
  private readonly publisher: EventPublisher;
  private readonly consumers = new Map<number, ManagedConsumer>();
  private readonly waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  private nextBatch = 0;

  constructor(
    private readonly port: MessagePort,
    settings: KafkaThreadSettings,
  ) {
    // Only the app's thread answers readiness: its own client's check says whether Kafka answers.
    this.client = new KafkaClient(settings as PlatformConfig, new ReadinessChecks());
    this.publisher = new EventPublisher(this.client);
    port.on('message', (message: ToKafkaThread) => this.receive(message));
  }

  private send(message: FromKafkaThread): void {
    this.port.postMessage(message);
  }

  private receive(message: ToKafkaThread): void {
    switch (message.kind) {
      case 'publish':
        this.publisher.publish(message.topic, message.messages).then(
          () => this.send({ kind: 'published', id: message.id }),
          (error: Error) => this.send({ kind: 'published', id: message.id, error: error.message }),
        );
        return;
      case 'consume':
        this.consume(message.id, message.options);
        return;
      case 'applied': {
        const waiting = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.error === undefined) waiting?.resolve();
        else waiting?.reject(new Error(message.error));
        return;
      }
      case 'stop-consumer':
        void this.stopConsumer(message.id).then(() =>
          this.send({ kind: 'consumer-stopped', id: message.id }),
        );
        return;
      case 'close':
        void this.close();
        return;
    }
  }

  private consume(id: number, options: ThreadConsumerOptions): void {
    const { startAt, passOver } = options;
    const passOverValue = passOver && Buffer.from(passOver.value);
    const consumer = new ManagedConsumer(this.client, {
      groupId: options.ownGroup ? `${options.groupId}.${randomBytes(4).toString('hex')}` : options.groupId,
      topics: options.topics,
      fromBeginning: options.fromBeginning,
      maxWaitTimeInMs: options.maxWaitTimeInMs,
      commitIntervalMs: options.commitIntervalMs,
      resumePositions: startAt
        ? async (assigned) =>
            assigned.flatMap(({ topic, partition }) => {
              const offset = startAt[topic]?.[partition];
              return offset === undefined ? [] : [{ topic, partition, offset: String(offset) }];
            })
        : undefined,
      handleBatch: async (batch: PartitionBatch) => {
        const records: ThreadRecord[] = [];
        const passingOver = passOverValue && batch.topic === passOver.topic;
        for (const message of batch.messages) {
          if (passingOver && headerIs(message.headers, passOver.header, passOverValue)) continue;
          records.push({ offset: message.offset, value: message.value?.toString('utf8') ?? null });
        }
        const last = batch.messages[batch.messages.length - 1];
        const batchId = (this.nextBatch += 1);
        // Applied on the app's thread; a failure there is this handler's, and the batch is retried.
        await new Promise<void>((resolve, reject) => {
          this.waiting.set(batchId, { resolve, reject });
          this.send({
            kind: 'batch',
            id: batchId,
            consumer: id,
            batch: {
              topic: batch.topic,
              partition: batch.partition,
              records,
              nextOffset: Number(last.offset) + 1,
            },
          });
        });
      },
    });
    this.consumers.set(id, consumer);
    consumer.start();
  }

  private async stopConsumer(id: number): Promise<void> {
    const consumer = this.consumers.get(id);
    this.consumers.delete(id);
    await Promise.race([consumer?.stop(), new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS))]);
  }

  /** Consumers leave their groups, and everything accepted for publishing is sent, before the thread ends. */
  private async close(): Promise<void> {
    const stopping = [...this.consumers.keys()].map((id) => this.stopConsumer(id));
    await Promise.all(stopping);
    await this.publisher.onApplicationShutdown();
    await this.client.onApplicationShutdown();
    this.send({ kind: 'closed' });
  }
}

const port = parentPort!;
Logger.overrideLogger(new ForwardingLogger(port));
new KafkaThreadWorker(port, workerData as KafkaThreadSettings);
