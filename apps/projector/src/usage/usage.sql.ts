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

  /** After a call moved away, the rows it left may hold nothing; a replay would never have made them. */
  dropEmptySeconds: dropEmpty('usage_by_second', ['org_id', 'endpoint', 'bucket']),
  dropEmptyMinutes: dropEmpty('usage_by_minute', ['org_id', 'endpoint', 'bucket']),
  dropEmptyHours: dropEmpty('usage_by_hour', ['org_id', 'bucket', 'endpoint', 'user_id', 'model']),
  dropEmptyDays: dropEmpty('usage_by_day', ['org_id', 'bucket', 'endpoint', 'user_id', 'model']),

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

function dropEmpty(table: string, key: string[]): string {
  const types: Record<string, string> = { bucket: 'timestamptz' };
  const arrays = key.map((column, i) => `$${i + 1}::${types[column] ?? 'text'}[]`).join(', ');
  return `
    DELETE FROM ${table} t USING unnest(${arrays}) AS k (${key.join(', ')})
    WHERE ${key.map((column) => `t.${column} = k.${column}`).join(' AND ')}
      AND t.calls = 0 AND t.input_chars = 0 AND t.output_chars = 0`;
}
