import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { KafkaClient, observeTopics } from '@metergate/messaging';
import { PeriodicJob, gauge } from '@metergate/platform';
import { accessGroupId } from '../access/access-events.consumer';
import { ProjectorConfig } from '../projector.config';
import { PartitionOffsetsSql } from './partition-offsets.sql';

const EVERY_MS = 5_000;

const lag = gauge({
  name: 'projector_lag_messages',
  help:
    "Records of each partition not applied yet: the partition's end minus the next offset PostgreSQL holds " +
    'for it, probed every 5 s whatever the projector is doing, so a partition that does not move shows its real lag.',
  labelNames: ['topic', 'partition'] as const,
});

/**
 * Measures lag from the two sources of truth, Kafka's ends and PostgreSQL's offsets, rather than from the
 * batches applied: a projector stuck on a batch, or holding no partition at all, applies none and would
 * otherwise report the last lag it saw. Every instance reports every partition of its groups.
 */
@Injectable()
export class ProjectorLag implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectorLag.name);
  private readonly job = new PeriodicJob(() => this.probe(), EVERY_MS);
  /** The offsets last read, per group: while PostgreSQL is unreachable nothing moves them, and the ends still grow. */
  private readonly lastStored = new Map<string, Map<string, bigint>>();

  constructor(
    private readonly config: ProjectorConfig,
    private readonly database: DatabaseConnection,
    private readonly kafka: KafkaClient,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  async probe(): Promise<void> {
    if (!this.database.dataSource.isInitialized) return;
    const groups: [string, string[]][] = [
      [this.config.PROJECTOR_GROUP_ID, [this.config.USAGE_TOPIC, this.config.CALLS_ADMITTED_TOPIC]],
      [accessGroupId(this.config), [this.config.ACCESS_EVENTS_TOPIC]],
    ];
    for (const [group, topics] of groups) {
      try {
        const stored = await this.storedOffsets(group, topics);
        for (const p of (await observeTopics(this.kafka, topics)).partitions) {
          const next = stored.get(`${p.topic}/${p.partition}`) ?? BigInt(p.low);
          lag.set({ topic: p.topic, partition: String(p.partition) }, Number(BigInt(p.high) - next));
        }
      } catch (error) {
        this.logger.debug(`lag of ${group} not measured this time: ${(error as Error).message}`);
      }
    }
  }

  private async storedOffsets(group: string, topics: string[]): Promise<Map<string, bigint>> {
    try {
      const rows = await this.database.dataSource.query<
        { topic: string; partition: number; next_offset: string }[]
      >(PartitionOffsetsSql.readGroup, [group, topics]);
      const stored = new Map(rows.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
      this.lastStored.set(group, stored);
      return stored;
    } catch (error) {
      const last = this.lastStored.get(group);
      if (!last) throw error;
      return last;
    }
  }
}
