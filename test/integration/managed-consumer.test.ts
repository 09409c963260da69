import { KafkaClient, ManagedConsumer, TopicPartitionOffset } from '@metergate/messaging';
import { PlatformConfig, ReadinessChecks, loadConfig } from '@metergate/platform';
import { testEnv } from '../support/test-app';
import { createTopic, eventually, uniqueName } from '../support/test-kafka';

// ManagedConsumer against the real broker: resume positions looked up while the consumer goes away.
describe('a managed consumer whose resume positions arrive after it stopped', () => {
  const clients: KafkaClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.onApplicationShutdown()));
  });

  it('drops them rather than seeking on a consumer that is no longer in its group', async () => {
    const topic = uniqueName('managed.resume');
    await createTopic(topic, 2);
    const client = new KafkaClient(loadConfig(PlatformConfig, testEnv({})), new ReadinessChecks());
    clients.push(client);
    let answer!: (positions: TopicPartitionOffset[]) => void;
    let asked = false;
    const consumer = new ManagedConsumer(client, {
      groupId: uniqueName('managed-resume'),
      topics: [topic],
      fromBeginning: true,
      handleBatch: async () => undefined,
      // The lookup (a PostgreSQL query in the projector) outlasts the consumer.
      resumePositions: () => {
        asked = true;
        return new Promise((resolve) => (answer = resolve));
      },
    });
    const unhandled: unknown[] = [];
    const record = (error: unknown) => unhandled.push(error);
    process.on('unhandledRejection', record);
    try {
      consumer.start();
      expect(await eventually(async () => asked, 30_000, 50)).toBe(true);
      await consumer.stop();
      answer([{ topic, partition: 0, offset: '0' }]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  }, 60_000);
});
