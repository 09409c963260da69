/**
 * The projector's own record of where each partition stands, written in the same transaction as what
 * the partition's messages produced: this, not Kafka's committed offset, says what has been applied.
 * Each row also names the Kafka cluster its offset counts records of (see offset-guard.ts).
 */
export const PartitionOffsetsSql = {
  /**
   * Locks the partitions' rows for the transaction (creating them at 0, for cluster $4, the first time),
   * in the order given (callers sort them, so locks queue, never cross), and returns each next offset.
   * Two members briefly holding the same partition during a rebalance queue here; the second sees the
   * first one's new offset and skips what it already applied.
   */
  lockAll: `
    INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset, cluster_id)
    SELECT $1, topic, partition, 0, $4 FROM unnest($2::text[], $3::integer[]) AS p (topic, partition)
    ON CONFLICT (consumer_group, topic, partition)
      DO UPDATE SET next_offset = consumer_offsets.next_offset
    RETURNING topic, partition, next_offset`,

  save: `
    UPDATE consumer_offsets SET next_offset = $4, updated_at = now()
    WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,

  readGroup: `
    SELECT topic, partition, next_offset, cluster_id FROM consumer_offsets
    WHERE consumer_group = $1 AND topic = ANY($2::text[])`,

  /** Rows from before cluster ids were kept, once their watermarks were found to match: they take the cluster's. */
  adoptCluster: `
    UPDATE consumer_offsets SET cluster_id = $3
    WHERE consumer_group = $1 AND topic = ANY($2::text[]) AND cluster_id IS NULL`,

  /**
   * Realigning: the topic's partitions start over at the offsets given (the topic's start), counted on
   * cluster $3; partitions the topic no longer has are forgotten.
   */
  realign: `
    WITH
      wanted AS (
        SELECT * FROM unnest($4::integer[], $5::bigint[]) AS w (partition, next_offset)),
      gone AS (
        DELETE FROM consumer_offsets o
        WHERE o.consumer_group = $1 AND o.topic = $2
          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.partition = o.partition))
    INSERT INTO consumer_offsets AS o (consumer_group, topic, partition, next_offset, cluster_id)
    SELECT $1, $2, partition, next_offset, $3 FROM wanted
    ON CONFLICT (consumer_group, topic, partition)
      DO UPDATE SET next_offset = EXCLUDED.next_offset, cluster_id = EXCLUDED.cluster_id, updated_at = now()`,
} as const;
