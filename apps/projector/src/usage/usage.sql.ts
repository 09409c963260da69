/**
 * Every statement the usage projection runs, in one place for review. Rows arrive as parallel arrays
 * through unnest(): one round trip per table whatever the batch size.
 */
export const UsageSql = {
  /**
   * Marks usage events as seen. A row comes back only for an event not seen before as usage;
   * `call_already_counted` says its admission counted the call. When it did not, the usage event counts
   * it, and the call's place (time, endpoint, user, model) is kept for a later admission to move it.
   */
  markUsageSeen: `
    INSERT INTO processed_events AS p (org_id, event_id, has_usage, call_at, call_endpoint, call_user, call_model)
    SELECT org_id, event_id, true, call_at, call_endpoint, call_user, call_model
    FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[])
      AS e (org_id, event_id, call_at, call_endpoint, call_user, call_model)
    ON CONFLICT (org_id, event_id) DO UPDATE SET has_usage = true
      WHERE NOT p.has_usage
    RETURNING org_id, event_id, has_admission AS call_already_counted`,

  /**
   * Marks admissions as seen. For an admission not seen before, the returned call_* columns are set when
   * its usage event came first and counted the call there: the call moves to the admission's place.
   */
  markAdmissionSeen: `
    INSERT INTO processed_events AS p (org_id, event_id, has_admission)
    SELECT org_id, event_id, true FROM unnest($1::text[], $2::text[]) AS e (org_id, event_id)
    ON CONFLICT (org_id, event_id) DO UPDATE SET has_admission = true
      WHERE NOT p.has_admission
    RETURNING org_id, event_id, call_at, call_endpoint, call_user, call_model`,

  /**
   * Every aggregate of a transaction's batches and each partition's next offset in one statement: one
   * round trip instead of six, which is what bounds the projector when batches are small (fresh traffic
   * on many partitions). Each table's rows come sorted by key, and every transaction runs this same
   * statement, so concurrent transactions lock shared rows in the same order.
   */
  addBucketsAndSaveOffsets: `
    WITH
      seconds AS (${windowUpsert('usage_by_second', 1)}),
      minutes AS (${windowUpsert('usage_by_minute', 7)}),
      hours AS (${rollupUpsert('usage_by_hour', 13)}),
      days AS (${rollupUpsert('usage_by_day', 21)}),
      lifetime AS (
        INSERT INTO usage_lifetime AS t (org_id, endpoint, calls, input_chars, output_chars)
        SELECT * FROM unnest($29::text[], $30::text[], $31::bigint[], $32::bigint[], $33::bigint[])
        ON CONFLICT (org_id, endpoint) DO UPDATE SET
          calls = t.calls + excluded.calls,
          input_chars = t.input_chars + excluded.input_chars,
          output_chars = t.output_chars + excluded.output_chars)
    UPDATE consumer_offsets AS o SET next_offset = n.next_offset, updated_at = now()
    FROM unnest($35::text[], $36::integer[], $37::bigint[]) AS n (topic, partition, next_offset)
    WHERE o.consumer_group = $34 AND o.topic = n.topic AND o.partition = n.partition`,

  /** After a call moved away, the rows it left may hold nothing; a replay would never have made them. */
  dropEmptySeconds: dropEmpty('usage_by_second', ['org_id', 'endpoint', 'bucket']),
  dropEmptyMinutes: dropEmpty('usage_by_minute', ['org_id', 'endpoint', 'bucket']),
  dropEmptyHours: dropEmpty('usage_by_hour', ['org_id', 'bucket', 'endpoint', 'user_id', 'model']),
  dropEmptyDays: dropEmpty('usage_by_day', ['org_id', 'bucket', 'endpoint', 'user_id', 'model']),

  pruneSeconds: `DELETE FROM usage_by_second WHERE bucket < now() - make_interval(mins => $1)`,
  pruneMinutes: `DELETE FROM usage_by_minute WHERE bucket < now() - make_interval(hours => $1)`,
  pruneProcessedEvents: `DELETE FROM processed_events WHERE first_seen_at < now() - make_interval(hours => $1)`,
} as const;

/** Parameters $first.. $first+5: org, endpoint, bucket, calls, input and output characters. */
function windowUpsert(table: string, first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `
    INSERT INTO ${table} AS t (org_id, endpoint, bucket, calls, input_chars, output_chars)
    SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::timestamptz[],
                         ${p(3)}::bigint[], ${p(4)}::bigint[], ${p(5)}::bigint[])
    ON CONFLICT (org_id, endpoint, bucket) DO UPDATE SET
      calls = t.calls + excluded.calls,
      input_chars = t.input_chars + excluded.input_chars,
      output_chars = t.output_chars + excluded.output_chars`;
}

/** Parameters $first.. $first+7: org, bucket, endpoint, user, model, calls, input and output characters. */
function rollupUpsert(table: string, first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `
    INSERT INTO ${table} AS t (org_id, bucket, endpoint, user_id, model, calls, input_chars, output_chars)
    SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::timestamptz[], ${p(2)}::text[], ${p(3)}::text[],
                         ${p(4)}::text[], ${p(5)}::bigint[], ${p(6)}::bigint[], ${p(7)}::bigint[])
    ON CONFLICT (org_id, bucket, endpoint, user_id, model) DO UPDATE SET
      calls = t.calls + excluded.calls,
      input_chars = t.input_chars + excluded.input_chars,
      output_chars = t.output_chars + excluded.output_chars`;
}

function dropEmpty(table: string, key: string[]): string {
  const types: Record<string, string> = { bucket: 'timestamptz' };
  const arrays = key.map((column, i) => `$${i + 1}::${types[column] ?? 'text'}[]`).join(', ');
  return `
    DELETE FROM ${table} t USING unnest(${arrays}) AS k (${key.join(', ')})
    WHERE ${key.map((column) => `t.${column} = k.${column}`).join(' AND ')}
      AND t.calls = 0 AND t.input_chars = 0 AND t.output_chars = 0`;
}
