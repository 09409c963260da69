import { Logger } from '@nestjs/common';
import { KafkaClient, OffsetIdentityError, findOffsetMismatches, observeTopics } from '@metergate/messaging';
import { ReadinessChecks } from '@metergate/platform';
import { DataSource } from 'typeorm';
import { PartitionOffsetsSql } from './partition-offsets.sql';

/**
 * Keeps a consumer group from applying records at offsets stored for other topics (see
 * findOffsetMismatches): its offsets are checked against the broker whenever partitions are assigned,
 * and nothing is applied until they match. While they do not, /health/ready says why and what to do,
 * the error is logged, and the check is repeated at each retry, so that after `npm run
 * realign-offsets` the projector goes on by itself.
 */
export class OffsetGuard {
  private readonly logger: Logger;
  private verified?: Promise<string>;
  private refusal?: OffsetIdentityError;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly dataSource: DataSource,
    private readonly group: string,
    private readonly topics: string[],
    readiness: ReadinessChecks,
    /** Called when offsets match again after a refusal: they were realigned, the consumer must go where they say. */
    private readonly onAligned: () => Promise<void>,
  ) {
    this.logger = new Logger(`offsets:${group}`);
    // While refused, each probe checks again: after a realignment the projector reports ready even
    // before a record arrives to apply.
    readiness.register(`offsets ${group}`, async () => {
      if (this.refusal) await this.ensure();
    });
  }

  /** Resolves to the cluster id the offsets were found to belong to; rejects with OffsetIdentityError. */
  ensure(): Promise<string> {
    this.verified ??= this.verify().catch((error: unknown) => {
      this.verified = undefined;
      throw error;
    });
    return this.verified;
  }

  /**
   * Partitions were assigned anew (a join, a broker that came back): check again before applying, and
   * at once, so that a mismatch is reported even while no record arrives.
   */
  recheck(): void {
    this.verified = undefined;
    this.ensure().catch(() => undefined);
  }

  /** A transaction found a partition that does not match its stored offset: nothing more is applied until it does. */
  refuse(error: OffsetIdentityError): void {
    this.verified = undefined;
    if (this.refusal?.message !== error.message) this.logger.error(error.message);
    this.refusal = error;
  }

  private async verify(): Promise<string> {
    const rows = await this.dataSource.query<
      { topic: string; partition: number; next_offset: string; cluster_id: string | null }[]
    >(PartitionOffsetsSql.readGroup, [this.group, this.topics]);
    const seen = await observeTopics(this.kafka, this.topics);
    const mismatches = findOffsetMismatches(
      rows.map((r) => ({
        topic: r.topic,
        partition: r.partition,
        nextOffset: r.next_offset,
        clusterId: r.cluster_id,
      })),
      seen,
    );
    if (mismatches.length > 0) {
      const error = new OffsetIdentityError(this.group, mismatches);
      this.refuse(error);
      throw error;
    }
    if (rows.some((r) => r.cluster_id === null)) {
      await this.dataSource.query(PartitionOffsetsSql.adoptCluster, [
        this.group,
        this.topics,
        seen.clusterId,
      ]);
    }
    if (this.refusal) {
      this.logger.log('stored offsets match the topics again: applying resumes from them');
      this.refusal = undefined;
      await this.onAligned();
    }
    return seen.clusterId;
  }
}
