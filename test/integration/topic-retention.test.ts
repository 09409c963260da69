import { KafkaClient, TopicAdmin } from '@metergate/messaging';
import { PlatformConfig, ReadinessChecks, loadConfig } from '@metergate/platform';
import { Admin, ConfigResourceTypes } from 'kafkajs';
import { testEnv } from '../support/test-app';
import { testKafka, uniqueName } from '../support/test-kafka';

// What each app does at start (TopicAdmin.ensureTopics), against the real broker.
describe('topics created and kept with explicit retention', () => {
  let admin: Admin;
  const clients: KafkaClient[] = [];

  const topicAdmin = (overrides: Record<string, string>) => {
    const config = loadConfig(
      PlatformConfig,
      testEnv({
        USAGE_TOPIC: uniqueName('usage.recorded.v1'),
        CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
        ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
        ...overrides,
      }),
    );
    const client = new KafkaClient(config, new ReadinessChecks());
    clients.push(client);
    return { config, topics: new TopicAdmin(client, config) };
  };

  const settings = async (topic: string) => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
  };
  const retention = async (topic: string) => {
    const all = await settings(topic);
    return { cleanup: all['cleanup.policy'], ms: all['retention.ms'], bytes: all['retention.bytes'] };
  };

  beforeAll(async () => {
    admin = testKafka('retention').admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    for (const client of clients) await client.onApplicationShutdown();
  });

  it('creates the usage, admissions and access topics to keep every event forever, and others as the broker would', async () => {
    const { config, topics } = topicAdmin({});
    const other = uniqueName('something.else');
    await topics.ensureTopics(
      [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC, config.ACCESS_EVENTS_TOPIC, other].map((topic) => ({
        topic,
        partitions: 2,
      })),
    );
    for (const topic of [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC, config.ACCESS_EVENTS_TOPIC]) {
      expect({ topic, ...(await retention(topic)) }).toEqual({
        topic,
        cleanup: 'delete',
        ms: '-1',
        bytes: '-1',
      });
    }
    expect((await retention(other)).ms).toBe('604800000');
  });

  it('gives topics that exist with other settings the retention Metergate needs, keeping their other settings', async () => {
    const { config, topics } = topicAdmin({ KAFKA_USAGE_RETENTION_MS: String(400 * 86_400_000) });
    await admin.createTopics({
      waitForLeaders: true,
      topics: [config.USAGE_TOPIC, config.ACCESS_EVENTS_TOPIC].map((topic) => ({
        topic,
        numPartitions: 2,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'retention.ms', value: '86400000' },
          { name: 'max.message.bytes', value: '2097152' },
        ],
      })),
    });
    await topics.ensureTopics(
      [config.USAGE_TOPIC, config.ACCESS_EVENTS_TOPIC].map((topic) => ({ topic, partitions: 2 })),
    );
    expect(await retention(config.USAGE_TOPIC)).toEqual({
      cleanup: 'delete',
      ms: '34560000000',
      bytes: '-1',
    });
    expect(await retention(config.ACCESS_EVENTS_TOPIC)).toEqual({ cleanup: 'delete', ms: '-1', bytes: '-1' });
    expect((await settings(config.USAGE_TOPIC))['max.message.bytes']).toBe('2097152');
  });
});
