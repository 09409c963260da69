import { CompressionTypes, Kafka, Partitioners, Producer, logLevel } from 'kafkajs';

export const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export const benchKafka = new Kafka({ clientId: 'metergate-bench', brokers, logLevel: logLevel.NOTHING });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Created up front with leaders: auto-creation on KRaft fails the first produce. */
export async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = benchKafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  } catch (error) {
    // On a busy broker the new topic can be missing from the metadata for a moment after its creation,
    // which kafkajs's wait for leaders does not retry: it is waited for here instead.
    if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    await waitForLeaders(admin, topic);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: ReturnType<Kafka['admin']>, topic: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const led = await admin.fetchTopicMetadata({ topics: [topic] }).then(
      ({ topics }) => topics[0].partitions.every((p) => p.leader >= 0),
      () => false,
    );
    if (led) return;
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leaders 30 s after its creation`);
    await sleep(100);
  }
}

/** Sum over partitions of the high watermark: the offset a consumer has reached when it is done. */
export async function topicEnds(topic: string): Promise<Map<number, bigint>> {
  const admin = benchKafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * A producer configured as ingest's publisher is (idempotent, one request in flight, the Java-compatible
 * partitioner, no compression), so that the only difference the ingest scenario measures is ingest.
 */
export async function bareProducer(): Promise<Producer> {
  const producer = benchKafka.producer({
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return producer;
}

export async function sendAll(
  producer: Producer,
  topic: string,
  messages: { key: string; value: string }[],
): Promise<void> {
  await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
}
