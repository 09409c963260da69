import { dataSourceOptions, migrate } from '@metergate/database';
import { KafkaClient, ManagedConsumer } from '@metergate/messaging';
import { ReadinessChecks } from '@metergate/platform';
import { DataSource } from 'typeorm';
import { ProjectorConfig } from '../projector.config';
import { UsageProjector } from '../usage/usage-projector';

export interface RebuildResult {
  topics: string[];
  /** Messages read per topic, up to the end each topic had when the rebuild started. */
  messages: Record<string, number>;
  seconds: number;
}

/**
 * Replays the usage and admission topics from the beginning into a fresh database, with the same
 * projection code as the live projector, up to where the topics ended when it started. The offsets it
 * stores carry the live projector's group name, so the rebuilt database can replace the live one.
 */
export async function rebuildProjections(config: ProjectorConfig, targetUrl: string): Promise<RebuildResult> {
  const started = Date.now();
  await migrate(targetUrl);
  const target = new DataSource(dataSourceOptions(targetUrl));
  await target.initialize();
  const kafka = new KafkaClient(config, new ReadinessChecks());
  try {
    const [{ count }] = await target.query<
      {
        count: number;
      }[]
    >('SELECT count(*)::int AS count FROM consumer_offsets');
    if (count > 0)
      throw new Error('the target database already holds a projection; rebuild into a fresh one');

    const topics = [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC];
    const admin = await kafka.sharedAdmin();
    const ends = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}/${p.partition}`, BigInt(p.high));
    }
    const remaining = new Set([...ends].filter(([, end]) => end > 0n).map(([key]) => key));
    const messages: Record<string, number> = Object.fromEntries(topics.map((t) => [t, 0]));

    const projector = new UsageProjector(target, config.PROJECTOR_GROUP_ID);
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    if (remaining.size === 0) finish();
    const consumer = new ManagedConsumer(kafka, {
      groupId: `${config.PROJECTOR_GROUP_ID}.rebuild.${started}`,
      topics,
      fromBeginning: true,
      handleBatch: async ({ topic, partition, messages: batch }) => {
        const key = `${topic}/${partition}`;
        const end = ends.get(key) ?? 0n;
        const wanted = batch.filter((m) => BigInt(m.offset) < end);
        if (wanted.length === 0) return;
        await projector.applyBatches([{ topic, partition, messages: wanted }]);
        messages[topic] += wanted.length;
        if (BigInt(wanted[wanted.length - 1].offset) + 1n >= end) {
          remaining.delete(key);
          if (remaining.size === 0) finish();
        }
      },
    });
    consumer.start();
    await finished;
    await consumer.stop();
    await admin.deleteGroups([`${config.PROJECTOR_GROUP_ID}.rebuild.${started}`]).catch(() => undefined);
    return { topics, messages, seconds: (Date.now() - started) / 1000 };
  } finally {
    await kafka.onApplicationShutdown();
    await target.destroy();
  }
}
