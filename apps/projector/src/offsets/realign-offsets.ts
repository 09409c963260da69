import { dataSourceOptions, inTransaction } from '@metergate/database';
import { KafkaClient, OffsetMismatch, findOffsetMismatches, observeTopics } from '@metergate/messaging';
import { ReadinessChecks } from '@metergate/platform';
import { DataSource } from 'typeorm';
import { accessGroupId } from '../access/access-events.consumer';
import { ProjectorConfig } from '../projector.config';
import { PartitionOffsetsSql } from './partition-offsets.sql';

export interface Realigned {
  group: string;
  topic: string;
  /** Each partition of the topic now, and the offset its counting starts over from (the topic's start). */
  partitions: { partition: number; from: string }[];
}

export interface RealignResult {
  /** What did not match, as the projector reports it. */
  mismatches: OffsetMismatch[];
  realigned: Realigned[];
}

/**
 * `npm run realign-offsets`: the projector's stored offsets are declared to count the topics the broker
 * holds now, from their start. For every topic whose offsets do not match the broker (findOffsetMismatches)
 * and every topic named in `forced` (a topic created again that has already grown past the old
 * offsets, which no check can tell), each partition's next offset becomes the partition's first
 * offset, for the broker's cluster. The projections keep what they hold; what the new topics carry is
 * applied on top, and an event that was counted before is recognized by its dedupe mark (kept
 * DEDUPE_RETENTION_HOURS) and not counted again. When the new topics are not a continuation of the
 * old ones, rebuild into a fresh database instead.
 */
export async function realignOffsets(config: ProjectorConfig, forced: string[] = []): Promise<RealignResult> {
  const dataSource = new DataSource(dataSourceOptions(config.DATABASE_URL));
  await dataSource.initialize();
  const kafka = new KafkaClient(config, new ReadinessChecks());
  try {
    const groups: [string, string[]][] = [
      [config.PROJECTOR_GROUP_ID, [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC]],
      [accessGroupId(config), [config.ACCESS_EVENTS_TOPIC]],
    ];
    const known = groups.flatMap(([, topics]) => topics);
    const unknown = forced.filter((t) => !known.includes(t));
    if (unknown.length > 0)
      throw new Error(`not a topic of the projector: ${unknown.join(', ')} (it reads ${known.join(', ')})`);

    const result: RealignResult = { mismatches: [], realigned: [] };
    await inTransaction(dataSource, async (tx) => {
      for (const [group, topics] of groups) {
        const rows = await tx.query<
          { topic: string; partition: number; next_offset: string; cluster_id: string | null }[]
        >(`${PartitionOffsetsSql.readGroup} FOR UPDATE`, [group, topics]);
        const seen = await observeTopics(kafka, topics);
        const mismatches = findOffsetMismatches(
          rows.map((r) => ({
            topic: r.topic,
            partition: r.partition,
            nextOffset: r.next_offset,
            clusterId: r.cluster_id,
          })),
          seen,
        );
        result.mismatches.push(...mismatches);
        const clusterMoved = mismatches.some((m) => m.kind === 'other-cluster');
        const realign = topics.filter(
          (topic) => clusterMoved || forced.includes(topic) || mismatches.some((m) => m.topic === topic),
        );
        for (const topic of realign) {
          const partitions = seen.partitions
            .filter((p) => p.topic === topic)
            .map((p) => ({ partition: p.partition, from: p.low }));
          await tx.query(PartitionOffsetsSql.realign, [
            group,
            topic,
            seen.clusterId,
            partitions.map((p) => p.partition),
            partitions.map((p) => p.from),
          ]);
          result.realigned.push({ group, topic, partitions });
        }
      }
    });
    return result;
  } finally {
    await kafka.onApplicationShutdown();
    await dataSource.destroy();
  }
}
