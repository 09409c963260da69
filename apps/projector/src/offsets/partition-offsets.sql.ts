/**
 * The projector's own record of where each partition stands, written in the same transaction as what
 * the partition's messages produced: this, not Kafka's committed offset, says what has been applied.
 */
export const PartitionOffsetsSql = {
  /**
   * Locks the partition's row for the transaction (creating it at 0 the first time) and returns the next
   * offset to apply. Two members briefly holding the same partition during a rebalance queue here; the
   * second sees the first one's new offset and skips what it already applied.
   */
  lock: `
    INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset)
    VALUES ($1, $2, $3, 0)
    ON CONFLICT (consumer_group, topic, partition)
      DO UPDATE SET next_offset = consumer_offsets.next_offset
    RETURNING next_offset`,

  /** `lock` for several partitions at once, in the order given (callers sort them, so locks queue, never cross). */
  lockAll: `
    INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset)
    SELECT $1, topic, partition, 0 FROM unnest($2::text[], $3::integer[]) AS p (topic, partition)
    ON CONFLICT (consumer_group, topic, partition)
      DO UPDATE SET next_offset = consumer_offsets.next_offset
    RETURNING topic, partition, next_offset`,

  save: `
    UPDATE consumer_offsets SET next_offset = $4, updated_at = now()
    WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,

  readGroup: `
    SELECT topic, partition, next_offset FROM consumer_offsets
    WHERE consumer_group = $1 AND topic = ANY($2::text[])`,
} as const;
