import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { retryWithBackoff } from '@metergate/platform';
import { KafkaClient } from './kafka-client';

export interface TopicSpec {
  topic: string;
  partitions: number;
}

@Injectable()
export class TopicAdmin implements OnModuleDestroy {
  private readonly logger = new Logger(TopicAdmin.name);
  private stopping = false;

  constructor(private readonly client: KafkaClient) {}

  /**
   * Creates the topics that are missing and waits for their leaders: auto-creation on KRaft answers
   * "does not host this topic-partition" to the first produce, so topics are never left to it.
   */
  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const admin = await this.client.sharedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return;
    await admin
      .createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({ topic: s.topic, numPartitions: s.partitions, replicationFactor: -1 })),
      })
      .catch((error: { type?: string }) => {
        // Another app created it between our list and create: that is the outcome we wanted.
        if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error;
      });
  }

  /** Like ensureTopics, but keeps retrying with backoff while Kafka is unreachable (apps start anyway). */
  async ensureTopicsWithRetry(specs: TopicSpec[]): Promise<boolean> {
    const done = await retryWithBackoff(() => this.ensureTopics(specs).then(() => true), {
      what: `create ${specs.map((s) => s.topic).join(', ')} yet`,
      logger: this.logger,
      stopped: () => this.stopping,
    });
    return done === true;
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }
}
