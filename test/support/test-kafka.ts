import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export const testBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export function testKafka(clientId = 'test'): Kafka {
  return new Kafka({ clientId, brokers: testBrokers, logLevel: logLevel.NOTHING });
}

/** Topic and group names unique to one test run, so runs and test files never see each other's data. */
export function uniqueName(base: string): string {
  return `${base}.t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = testKafka('test-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
    // A loaded KRaft broker may answer metadata for a new topic with UNKNOWN_TOPIC_OR_PARTITION for a
    // moment, which kafkajs's waitForLeaders does not retry: wait for every partition's leader here.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      const found = metadata?.topics[0]?.partitions ?? [];
      if (found.length === partitions && found.every((p) => p.leader >= 0)) return;
      if (Date.now() > deadline) throw new Error(`topic ${topic} has no leaders after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Polls until `probe` returns a truthy value or the time runs out; returns the last value. */
export async function eventually<T>(
  probe: () => Promise<T>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!last && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  return last;
}
