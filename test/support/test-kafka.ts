import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { waitForLeaders } from '@metergate/messaging';

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
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: false });
    await waitForLeaders(admin, [topic]);
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
