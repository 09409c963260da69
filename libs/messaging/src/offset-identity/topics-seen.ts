import { KafkaClient } from '../kafka-client';
import { TopicsSeen } from './offset-mismatch';

/**
 * The cluster's id and the watermarks of every partition of `topics` that exist (a missing topic has
 * none), ordered by topic and partition.
 */
export async function observeTopics(client: KafkaClient, topics: readonly string[]): Promise<TopicsSeen> {
  const admin = await client.sharedAdmin();
  const { clusterId } = await admin.describeCluster();
  const existing = new Set(await admin.listTopics());
  const partitions: TopicsSeen['partitions'] = [];
  for (const topic of topics.filter((t) => existing.has(t))) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      partitions.push({ topic, partition: p.partition, low: p.low, high: p.high });
    }
  }
  partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return { clusterId, partitions };
}
