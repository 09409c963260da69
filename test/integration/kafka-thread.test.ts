import { KafkaThread, ThreadBatch } from '@metergate/messaging';
import { PlatformConfig, loadConfig } from '@metergate/platform';
import type { Worker } from 'node:worker_threads';
import { testEnv } from '../support/test-app';
import { createTopic, eventually, testKafka, uniqueName } from '../support/test-kafka';

// KafkaThread against the real broker: a producer and consumers on a worker thread of their own.
describe('the Kafka thread', () => {
  const threads: KafkaThread[] = [];
  const newThread = () => {
    const thread = new KafkaThread(loadConfig(PlatformConfig, testEnv({})));
    threads.push(thread);
    return thread;
  };

  afterAll(async () => {
    await Promise.all(threads.map((thread) => thread.onApplicationShutdown()));
  });

  /** The values a consumer applied, by partition, and where each partition stands. */
  const collector = () => {
    const values: string[] = [];
    const next = new Map<number, number>();
    const handle = async (batch: ThreadBatch) => {
      values.push(...batch.records.map((r) => r.value!));
      next.set(batch.partition, batch.nextOffset);
    };
    return { values, next, handle };
  };

  it('publishes, and consumes from the given offsets, passing over records by their header', async () => {
    const topic = uniqueName('thread.pass-over');
    await createTopic(topic, 1);
    const thread = newThread();
    await thread.publish(topic, [
      { key: 'a', value: 'before' },
      { key: 'a', value: 'mine', headers: { replica: 'r1' } },
      { key: 'a', value: 'theirs', headers: { replica: 'r2' } },
      { key: 'a', value: 'plain' },
    ]);
    const seen = collector();
    const consumer = thread.consume(
      {
        groupId: uniqueName('thread-pass-over'),
        topics: [topic],
        fromBeginning: true,
        startAt: { [topic]: [1] },
        passOver: { topic, header: 'replica', value: 'r1' },
      },
      seen.handle,
    );
    expect(await eventually(async () => seen.next.get(0) === 4, 30_000, 50)).toBe(true);
    // Offset 0 was before the start, offset 1 passed over; the partition still stands past both.
    expect(seen.values).toEqual(['theirs', 'plain']);
    await consumer.stop();
  }, 60_000);

  it('hands a batch again after its handler failed, and refuses what Kafka does not acknowledge', async () => {
    const topic = uniqueName('thread.retry');
    await createTopic(topic, 1);
    const thread = newThread();
    await thread.publish(topic, [{ key: 'a', value: 'one' }]);
    const seen = collector();
    let failures = 1;
    thread.consume(
      { groupId: uniqueName('thread-retry'), topics: [topic], fromBeginning: true },
      async (b) => {
        if (failures-- > 0) throw new Error('not now');
        await seen.handle(b);
      },
    );
    expect(await eventually(async () => seen.values.length > 0, 30_000, 50)).toBe(true);
    expect(seen.values).toEqual(['one']);
    await expect(
      thread.publish(uniqueName('thread.no-such-topic'), [{ key: 'a', value: 'x' }]),
    ).rejects.toThrow(/Kafka did not acknowledge/);
  }, 60_000);

  it('replaces a thread that died: what it was sending fails, consumers start over from their offsets', async () => {
    const topic = uniqueName('thread.dies');
    await createTopic(topic, 1);
    const thread = newThread();
    await thread.publish(topic, [{ key: 'a', value: 'first' }]);
    const seen = collector();
    thread.consume(
      {
        groupId: uniqueName('thread-dies'),
        ownGroup: true,
        topics: [topic],
        fromBeginning: true,
        startAt: { [topic]: [0] },
      },
      seen.handle,
    );
    expect(await eventually(async () => seen.values.length === 1, 30_000, 50)).toBe(true);

    const sending = thread.publish(topic, [{ key: 'a', value: 'lost?' }]);
    await (thread as unknown as { worker: Worker }).worker.terminate();
    await expect(sending).rejects.toThrow(/ended before Kafka acknowledged/);

    await thread.publish(topic, [{ key: 'a', value: 'second' }]);
    // The new thread's consumer reads from offset 0 again; 'lost?' may or may not have reached Kafka.
    expect(await eventually(async () => seen.values.includes('second'), 30_000, 50)).toBe(true);
    expect(seen.values.filter((v) => v === 'first')).toHaveLength(2);
  }, 90_000);

  it('sends everything it was given before its thread ends at shutdown', async () => {
    const topic = uniqueName('thread.shutdown');
    await createTopic(topic, 1);
    const thread = new KafkaThread(loadConfig(PlatformConfig, testEnv({})));
    const values = Array.from({ length: 500 }, (_, i) => `v${i}`);
    const sent = Promise.all(values.map((value) => thread.publish(topic, [{ key: 'k', value }])));
    await thread.onApplicationShutdown();
    await sent;

    const consumer = testKafka('thread-shutdown-check').consumer({ groupId: uniqueName('thread-check') });
    const read: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void read.push(message.value!.toString()) });
    try {
      expect(await eventually(async () => read.length === values.length, 30_000, 50)).toBe(true);
      expect(read).toEqual(values);
    } finally {
      await consumer.disconnect();
    }
  }, 60_000);
});
