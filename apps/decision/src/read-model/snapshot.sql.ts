/**
 * Every statement the decision app runs, in one place for review. A snapshot runs in one REPEATABLE
 * READ transaction, so the rows and the projector's offsets describe the same moment; its big tables
 * are read with COPY, a row at a time, never whole into memory. Counts and times come as integers.
 */
export const SnapshotSql = {
  begin: `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`,
  /** The snapshot's own statement bound (a whole number of milliseconds, from the config). */
  statementTimeout: (ms: number) => `SET LOCAL statement_timeout = ${Math.trunc(ms)}`,
  commit: `COMMIT`,
  rollback: `ROLLBACK`,

  /** Next offset per partition of the projector's groups (usage and admissions; access events). */
  offsets: `
    SELECT consumer_group, topic, partition, next_offset::float8 AS next_offset,
           (extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms, cluster_id
    FROM consumer_offsets
    WHERE consumer_group = ANY($1::text[]) AND topic = ANY($2::text[])`,

  /** [org, tier, status, limit overrides, version, active API keys, own models] (JSON as text). */
  access: `SELECT org_id, tier, status, limit_overrides, version, api_keys, models FROM org_access`,

  /** Lifetime totals: [org, endpoint, calls, characters]. */
  lifetime: `
    SELECT org_id, endpoint, calls, input_chars + output_chars FROM usage_lifetime`,

  /** Totals of the calendar month so far since {since}: [org, endpoint, calls, characters]. */
  month: (since: string) => `
    SELECT org_id, endpoint, sum(calls)::bigint, sum(input_chars + output_chars)::bigint
    FROM usage_by_day WHERE bucket >= ${since} GROUP BY org_id, endpoint`,

  /**
   * Buckets of one resolution since {since}: [org, endpoint, epoch ms, calls, characters, model], by
   * model only when some limit counts one model's calls ('' otherwise).
   */
  buckets: (table: string, since: string, byModel: boolean) => `
    SELECT org_id, endpoint, (extract(epoch FROM bucket) * 1000)::bigint,
           sum(calls)::bigint, sum(input_chars + output_chars)::bigint, ${byModel ? 'model' : "''"}
    FROM ${table} WHERE bucket >= ${since} GROUP BY org_id, endpoint, bucket${byModel ? ', model' : ''}`,

  /**
   * Totals per model since {since} (the epoch for lifetime), from the daily rollups, which are kept:
   * [org, endpoint, model, calls, characters]. Read only when a quota counts one model.
   */
  modelTotals: (since: string) => `
    SELECT org_id, endpoint, model, sum(calls)::bigint, sum(input_chars + output_chars)::bigint
    FROM usage_by_day WHERE bucket >= ${since} AND model <> '' GROUP BY org_id, endpoint, model`,

  /** Open reservations: [org, call id, endpoint, model, characters, until (epoch ms)]. */
  reservations: `
    SELECT org_id, event_id, endpoint, model, chars, (extract(epoch FROM reserved_until) * 1000)::bigint
    FROM reservations WHERE reserved_until > now()`,

  /** Where the projector first counted the usage and the admission of calls (org ids $1, ids $2). */
  processedEvents: `
    SELECT org_id, event_id, usage_offset::float8 AS usage_offset,
           admission_offset::float8 AS admission_offset, usage_counted_call
    FROM processed_events
    WHERE (org_id, event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
} as const;

/** The projection table that holds buckets of a resolution. */
export const BUCKET_TABLES: Record<number, string> = {
  1000: 'usage_by_second',
  60_000: 'usage_by_minute',
  3_600_000: 'usage_by_hour',
};
