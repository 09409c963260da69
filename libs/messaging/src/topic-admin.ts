import { Injectable } from '@nestjs/common';
import { KafkaClient } from './kafka-client';

export interface TopicSpec {
  topic: string;
  partitions: number;
}

@Injectable()
export class TopicAdmin {
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
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({ topic: s.topic, numPartitions: s.partitions, replicationFactor: -1 })),
    });
  }
}
