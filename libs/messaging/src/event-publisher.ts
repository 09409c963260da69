import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, Producer } from 'kafkajs';
import { JavaCompatiblePartitioner } from './key-partitioner';
import { KafkaClient } from './kafka-client';

export interface OutgoingMessage {
  key: string;
  value: string;
  /** Absent: the key's partition. */
  partition?: number;
  headers?: Record<string, string>;
}

const MAX_COALESCED = 5000;

export class PublishFailedError extends Error {}

interface Pending {
  topic: string;
  messages: OutgoingMessage[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Publishes with an idempotent producer (acks from all in-sync replicas). Concurrent calls are coalesced
 * into one sendBatch while the previous one is in flight: fewer round trips under load, and only one
 * request in flight, which the idempotent producer's sequence numbers need. A call resolves only once
 * Kafka has acknowledged every one of its messages.
 */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private queue: Pending[] = [];
  private flushing?: Promise<void>;
  private readonly logger = new Logger(EventPublisher.name);

  constructor(private readonly client: KafkaClient) {}

  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      try {
        const producer = await this.connect();
        const byTopic = new Map<string, OutgoingMessage[]>();
        for (const p of batch) {
          const messages = byTopic.get(p.topic);
          if (messages) messages.push(...p.messages);
          else byTopic.set(p.topic, p.messages.slice());
        }
        await producer.sendBatch({
          acks: -1,
          compression: CompressionTypes.None,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        batch.forEach((p) => p.resolve());
      } catch (error) {
        // After a send that finally failed, the idempotent producer's sequence numbers may no longer match
        // the broker's; reusing it could drop the next batch as a duplicate. Start over with a new one.
        await this.discardProducer();
        const failure = new PublishFailedError(`Kafka did not acknowledge: ${(error as Error).message}`);
        batch.forEach((p) => p.reject(failure));
      }
    }
    this.flushing = undefined;
  }

  /** Up to MAX_COALESCED messages; a single larger call still goes alone, whole. */
  private takeBatch(): Pending[] {
    let count = 0;
    let taken = 0;
    while (
      taken < this.queue.length &&
      (taken === 0 || count + this.queue[taken].messages.length <= MAX_COALESCED)
    ) {
      count += this.queue[taken].messages.length;
      taken += 1;
    }
    return this.queue.splice(0, taken);
  }

  private async connect(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.client.kafka.producer({
        idempotent: true,
        // Java-compatible murmur2: the same org lands on the same partition whoever produces it.
        createPartitioner: JavaCompatiblePartitioner,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2000 },
      });
      try {
        await producer.connect();
      } catch (error) {
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      this.producer = producer;
      return producer;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async discardProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer
      ?.disconnect()
      .catch((error: Error) => this.logger.warn(`producer disconnect: ${error.message}`));
  }

  /**
   * Shutdown, after the HTTP server has drained (Nest closes it before this hook): everything already
   * accepted is sent before the producer disconnects.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.flushing;
    await this.discardProducer();
  }
}
