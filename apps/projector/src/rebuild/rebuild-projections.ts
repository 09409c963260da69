import { dataSourceOptions, migrate } from '@metergate/database';
import { KafkaClient, ManagedConsumer, observeTopics } from '@metergate/messaging';
import { ReadinessChecks } from '@metergate/platform';
import { DataSource } from 'typeorm';
import { accessProjector } from '../access/access-projector';
import { accessGroupId } from '../access/access-events.consumer';
import { denialsGroupId } from '../denials/denials.consumer';
import { denialsProjector } from '../denials/denials-projector';
import { applySettingPoisonAside, liveHandling } from '../dead-letters/set-aside-poison';
import { ProjectorConfig } from '../projector.config';
import { UsageProjector } from '../usage/usage-projector';

export interface RebuildResult {
  topics: string[];
  /** Messages read per topic, up to the end each topic had when the rebuild started. */
  messages: Record<string, number>;
  seconds: number;
}

/**
 * Replays the usage, admission, access and denials topics from the beginning into a fresh database, with the
 * same projection code as the live projector (records it would set aside are set aside alike), up to
 * where the topics ended when it started. The offsets it stores carry the live projector's group
 * names, so the rebuilt database can replace the live one. A topic that no longer holds its first
 * records (a finite KAFKA_USAGE_RETENTION_MS deleted them) cannot give the live totals back: the
 * rebuild refuses rather than produce lifetime totals that are silently low.
 */
export async function rebuildProjections(config: ProjectorConfig, targetUrl: string): Promise<RebuildResult> {
  const started = Date.now();
  await migrate(targetUrl);
  const target = new DataSource(dataSourceOptions(targetUrl));
  await target.initialize();
  const kafka = new KafkaClient(config, new ReadinessChecks());
  try {
    const [{ count }] = await target.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM consumer_offsets',
    );
    if (count > 0)
      throw new Error('the target database already holds a projection; rebuild into a fresh one');

    const topics = [
      config.USAGE_TOPIC,
      config.CALLS_ADMITTED_TOPIC,
      config.ACCESS_EVENTS_TOPIC,
      config.DENIALS_TOPIC,
    ];
    const seen = await observeTopics(kafka, topics);
    // Denials are kept as long as the analysts read them (the topic's retention): they may start later.
    const truncated = seen.partitions.filter((p) => BigInt(p.low) > 0n && p.topic !== config.DENIALS_TOPIC);
    if (truncated.length > 0) {
      const where = truncated.map((p) => `${p.topic}[${p.partition}] starts at ${p.low}`).join(', ');
      throw new Error(
        `records were deleted from the topics (${where}): a rebuild would count less than the live projection holds`,
      );
    }
    const ends = new Map(seen.partitions.map((p) => [`${p.topic}/${p.partition}`, BigInt(p.high)]));
    const starts = new Map(seen.partitions.map((p) => [`${p.topic}/${p.partition}`, BigInt(p.low)]));
    const remaining = new Set([...ends].filter(([key, end]) => end > starts.get(key)!).map(([key]) => key));
    const messages: Record<string, number> = Object.fromEntries(topics.map((t) => [t, 0]));

    const usage = new UsageProjector(target, config.PROJECTOR_GROUP_ID);
    const access = accessProjector(target, accessGroupId(config));
    const usageHandling = liveHandling(
      async (batches) => (await usage.applyBatches(batches, seen.clusterId)).readAgain,
      (batch, message, error, firstFailedAt) =>
        usage.setAside(batch, message, error, firstFailedAt, seen.clusterId),
    );
    const denials = denialsProjector(target, denialsGroupId(config));
    const denialsHandling = liveHandling(
      (batches) => denials.applyBatches(batches, seen.clusterId),
      (batch, message, error, firstFailedAt) =>
        denials.setAside(batch, message, error, firstFailedAt, seen.clusterId),
    );
    const accessHandling = liveHandling(
      (batches) => access.applyBatches(batches, seen.clusterId),
      (batch, message, error, firstFailedAt) =>
        access.setAside(batch, message, error, firstFailedAt, seen.clusterId),
    );
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    if (remaining.size === 0) finish();
    const groupId = `${config.PROJECTOR_GROUP_ID}.rebuild.${started}`;
    const consumer = new ManagedConsumer(kafka, {
      groupId,
      topics,
      fromBeginning: true,
      handleBatch: async (batch) => {
        const key = `${batch.topic}/${batch.partition}`;
        const end = ends.get(key) ?? 0n;
        const wanted = batch.messages.filter((m) => BigInt(m.offset) < end);
        if (wanted.length === 0) return [];
        const handling =
          batch.topic === config.ACCESS_EVENTS_TOPIC
            ? accessHandling
            : batch.topic === config.DENIALS_TOPIC
              ? denialsHandling
              : usageHandling;
        const readAgain = await applySettingPoisonAside([{ ...batch, messages: wanted }], handling);
        if (readAgain.length > 0) return readAgain;
        messages[batch.topic] += wanted.length;
        if (BigInt(wanted[wanted.length - 1].offset) + 1n >= end) {
          remaining.delete(key);
          if (remaining.size === 0) finish();
        }
        return [];
      },
    });
    consumer.start();
    await finished;
    await consumer.stop();
    const admin = await kafka.sharedAdmin();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    return { topics, messages, seconds: (Date.now() - started) / 1000 };
  } finally {
    await kafka.onApplicationShutdown();
    await target.destroy();
  }
}
