import { createTopic, testKafka, uniqueName } from '../support/test-kafka';

// Proof that kafkajs 2.2.4 works against the pinned Kafka 4.x broker for everything Metergate uses.
describe('kafkajs against the local Kafka broker', () => {
  const kafka = testKafka('compat');

  it('creates a topic with several partitions and waits for its leaders', async () => {
    const topic = uniqueName('compat.create');
    await createTopic(topic, 3);
    const admin = kafka.admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(metadata.topics[0].partitions).toHaveLength(3);
    expect(metadata.topics[0].partitions.every((p) => p.leader >= 0)).toBe(true);
  });

  it('produces with an idempotent producer and consumes every message in a group', async () => {
    const topic = uniqueName('compat.group');
    await createTopic(topic, 3);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `org-${i % 5}`, value: `m${i}` }));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('compat-group'), maxWaitTimeInMs: 100 });
    const received: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value!.toString());
          if (received.length === sent.length) resolve();
        },
      });
    });
    await done;
    await consumer.disconnect();
    expect(received.sort()).toEqual(sent.map((m) => m.value).sort());
  });

  it('commits a transaction that a read_committed consumer sees, and hides an aborted one', async () => {
    const topic = uniqueName('compat.tx');
    await createTopic(topic, 1);
    const producer = kafka.producer({
      transactionalId: uniqueName('compat-tx'),
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await producer.connect();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted' }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'committed' }] });
    await committed.commit();
    await producer.disconnect();

    const consumer = kafka.consumer({
      groupId: uniqueName('compat-tx-group'),
      readUncommitted: false,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = await new Promise<string[]>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve([message.value!.toString()]) });
    });
    await consumer.disconnect();
    expect(seen).toEqual(['committed']);
  });
});
