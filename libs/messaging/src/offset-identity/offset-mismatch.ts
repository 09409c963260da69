/**
 * Whether offsets an app stored beside what it applied (PostgreSQL's consumer_offsets) still name
 * positions in the topics the broker holds now. An offset is only a count of records of one topic on
 * one cluster: against a new broker, or topics deleted and created again under the same names, the
 * same numbers point at other records, and a consumer resuming from them skips records it never saw.
 *
 * The signals, every one of which kafkajs 2.2.4 can read (it speaks Metadata up to v6, so Kafka's topic
 * ids, from v10 on, are out of its reach): the cluster id stored beside the offset, and the partition's
 * watermarks. A next offset beyond the partition's end (high watermark) means the topic holds fewer
 * records than were applied from it; one below its start (low watermark) means records were deleted
 * before they were applied; a partition that is gone means the topic shrank or vanished. A topic
 * created again on the same cluster that has already grown past every stored offset cannot be told
 * apart this way: `npm run realign-offsets -- --topic <name>` declares it by hand.
 */

/** An offset stored beside what it applied. */
export interface StoredOffset {
  topic: string;
  partition: number;
  /** The next offset to apply: every record below it was applied. */
  nextOffset: string;
  /** The Kafka cluster it counts records of; null for rows stored before identities were kept. */
  clusterId: string | null;
}

/** The topics as the broker describes them now. */
export interface TopicsSeen {
  clusterId: string;
  /** Every partition of the topics asked about that exist; a missing topic has none. */
  partitions: { topic: string; partition: number; low: string; high: string }[];
}

export type OffsetMismatchKind = 'other-cluster' | 'beyond-end' | 'deleted-before-applied' | 'partition-gone';

export interface OffsetMismatch {
  kind: OffsetMismatchKind;
  topic: string;
  partition: number;
  nextOffset: string;
  /** One line that says what does not match, with the numbers. */
  detail: string;
}

/** Every stored offset that cannot be a position in the topics seen. An empty list: they match. */
export function findOffsetMismatches(stored: readonly StoredOffset[], seen: TopicsSeen): OffsetMismatch[] {
  const extents = new Map(seen.partitions.map((p) => [`${p.topic}/${p.partition}`, p]));
  const mismatches: OffsetMismatch[] = [];
  for (const offset of stored) {
    const next = BigInt(offset.nextOffset);
    const where = `${offset.topic}[${offset.partition}]`;
    const mismatch = (kind: OffsetMismatchKind, detail: string) =>
      mismatches.push({
        kind,
        topic: offset.topic,
        partition: offset.partition,
        nextOffset: offset.nextOffset,
        detail,
      });
    const extent = extents.get(`${offset.topic}/${offset.partition}`);
    if (offset.clusterId !== null && offset.clusterId !== seen.clusterId) {
      mismatch(
        'other-cluster',
        `${where}: next offset ${next} was stored for Kafka cluster ${offset.clusterId}, the broker is cluster ${seen.clusterId}`,
      );
    } else if (extent === undefined) {
      if (next > 0n)
        mismatch('partition-gone', `${where}: next offset ${next} was stored, the partition does not exist`);
    } else if (next > BigInt(extent.high)) {
      mismatch('beyond-end', `${where}: next offset ${next} is beyond the partition's end ${extent.high}`);
    } else if (next < BigInt(extent.low)) {
      mismatch(
        'deleted-before-applied',
        `${where}: next offset ${next} is below the partition's start ${extent.low}: records were deleted before they were applied`,
      );
    }
  }
  return mismatches;
}

const SHOWN = 3;

/**
 * Stored offsets that do not belong to the topics the broker holds: whoever reads from them must stop
 * instead of skipping records. The message says what was found and how to proceed.
 */
export class OffsetIdentityError extends Error {
  constructor(
    readonly consumerGroup: string,
    readonly mismatches: readonly OffsetMismatch[],
  ) {
    const shown = mismatches.slice(0, SHOWN).map((m) => m.detail);
    if (mismatches.length > SHOWN) shown.push(`and ${mismatches.length - SHOWN} more`);
    super(
      `the offsets stored in PostgreSQL for consumer group ${consumerGroup} belong to other topics than the broker ` +
        `holds (a new broker, topics created again, a restore?): ${shown.join('; ')}. Nothing is applied from ` +
        `them. To count the topics as they are now from their start into this database, run ` +
        `\`npm run realign-offsets\`; to start over from the topics alone, rebuild into a fresh database ` +
        `(\`npm run rebuild-projections -- <url>\`)`,
    );
    this.name = 'OffsetIdentityError';
  }

  /** The topics with at least one mismatched partition: what realigning would reset. */
  get topics(): string[] {
    return [...new Set(this.mismatches.map((m) => m.topic))].sort();
  }
}
