/**
 * Every statement the usage projection runs, in one place for review. Rows arrive as parallel arrays
 * through unnest(): one round trip per table whatever the batch size.
 */
export const UsageSql = {
  /**
   * Locks this partition's offset row for the transaction (creating it at 0 the first time) and returns
   * the next offset to apply. Two projectors briefly holding the same partition during a rebalance
   * queue here; the second sees the first one's new offset and skips what it already applied.
   */
  lockPartitionOffset: `
    INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset)
    VALUES ($1, $2, $3, 0)
    ON CONFLICT (consumer_group, topic, partition)
      DO UPDATE SET next_offset = consumer_offsets.next_offset
    RETURNING next_offset`,

  savePartitionOffset: `
    UPDATE consumer_offsets SET next_offset = $4, updated_at = now()
    WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,

  readGroupOffsets: `
    SELECT topic, partition, next_offset FROM consumer_offsets
    WHERE consumer_group = $1 AND topic = ANY($2::text[])`,

  /**
   * Marks each event as seen. A row comes back only for an event not seen before in its role (usage or
   * admission); `has_admission`/`has_usage` then tell whether the other role already counted the call.
   */
  markUsageSeen: `
    INSERT INTO processed_events AS p (org_id, event_id, has_usage)
    SELECT org_id, event_id, true FROM unnest($1::text[], $2::text[]) AS e (org_id, event_id)
    ON CONFLICT (org_id, event_id) DO UPDATE SET has_usage = true
      WHERE NOT p.has_usage
    RETURNING org_id, event_id, has_admission AS call_already_counted`,

  markAdmissionSeen: `
    INSERT INTO processed_events AS p (org_id, event_id, has_admission)
    SELECT org_id, event_id, true FROM unnest($1::text[], $2::text[]) AS e (org_id, event_id)
    ON CONFLICT (org_id, event_id) DO UPDATE SET has_admission = true
      WHERE NOT p.has_admission
    RETURNING org_id, event_id, has_usage AS call_already_counted`,

  addSeconds: windowUpsert('usage_by_second'),
  addMinutes: windowUpsert('usage_by_minute'),
  addHours: rollupUpsert('usage_by_hour'),
  addDays: rollupUpsert('usage_by_day'),

  addLifetime: `
    INSERT INTO usage_lifetime AS t (org_id, endpoint, calls, input_chars, output_chars)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
    ON CONFLICT (org_id, endpoint) DO UPDATE SET
      calls = t.calls + excluded.calls,
      input_chars = t.input_chars + excluded.input_chars,
      output_chars = t.output_chars + excluded.output_chars`,

  pruneSeconds: `DELETE FROM usage_by_second WHERE bucket < now() - make_interval(mins => $1)`,
  pruneMinutes: `DELETE FROM usage_by_minute WHERE bucket < now() - make_interval(hours => $1)`,
  pruneProcessedEvents: `DELETE FROM processed_events WHERE first_seen_at < now() - make_interval(hours => $1)`,
} as const;

function windowUpsert(table: string): string {
  return `
    INSERT INTO ${table} AS t (org_id, endpoint, bucket, calls, input_chars, output_chars)
    SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[], $6::bigint[])
    ON CONFLICT (org_id, endpoint, bucket) DO UPDATE SET
      calls = t.calls + excluded.calls,
      input_chars = t.input_chars + excluded.input_chars,
      output_chars = t.output_chars + excluded.output_chars`;
}

function rollupUpsert(table: string): string {
  return `
    INSERT INTO ${table} AS t (org_id, bucket, endpoint, user_id, model, calls, input_chars, output_chars)
    SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[],
                         $6::bigint[], $7::bigint[], $8::bigint[])
    ON CONFLICT (org_id, bucket, endpoint, user_id, model) DO UPDATE SET
      calls = t.calls + excluded.calls,
      input_chars = t.input_chars + excluded.input_chars,
      output_chars = t.output_chars + excluded.output_chars`;
}
