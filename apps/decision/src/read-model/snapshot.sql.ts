/**
 * Every statement the decision app runs, in one place for review. A snapshot runs in one REPEATABLE
 * READ transaction, so the rows and the projector's offsets describe the same moment; big tables are
 * read through a server-side cursor, a page at a time, never whole into memory.
 */
export const SnapshotSql = {
  begin: `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`,
  commit: `COMMIT`,
  rollback: `ROLLBACK`,
  declare: (name: string, query: string) => `DECLARE ${name} NO SCROLL CURSOR FOR ${query}`,
  fetch: (name: string, rows: number) => `FETCH ${rows} FROM ${name}`,
  close: (name: string) => `CLOSE ${name}`,

  /** Next offset per partition of the projector's groups (usage and admissions; access events). */
  offsets: `
    SELECT consumer_group, topic, partition, next_offset::float8 AS next_offset,
           (extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms
    FROM consumer_offsets
    WHERE consumer_group = ANY($1::text[]) AND topic = ANY($2::text[])`,

  access: `SELECT org_id, tier, status, limit_overrides, version FROM org_access`,

  /** Lifetime totals per organization and endpoint. */
  lifetime: `
    SELECT org_id, endpoint, calls::float8, (input_chars + output_chars)::float8
    FROM usage_lifetime`,

  /** Totals of the calendar month so far ($1: its first day). */
  month: `
    SELECT org_id, endpoint, sum(calls)::float8, sum(input_chars + output_chars)::float8
    FROM usage_by_day WHERE bucket >= $1 GROUP BY org_id, endpoint`,

  /** Where the projector first counted the usage and the admission of calls (org ids $1, ids $2). */
  processedEvents: `
    SELECT org_id, event_id, usage_offset::float8 AS usage_offset,
           admission_offset::float8 AS admission_offset, usage_counted_call
    FROM processed_events
    WHERE (org_id, event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,

  /** Buckets of one resolution since $1, per organization and endpoint: [org, endpoint, ms, calls, chars]. */
  buckets: (table: string) => `
    SELECT org_id, endpoint, (extract(epoch FROM bucket) * 1000)::float8,
           sum(calls)::float8, sum(input_chars + output_chars)::float8
    FROM ${table} WHERE bucket >= $1 GROUP BY org_id, endpoint, bucket`,
} as const;

/** The projection table that holds buckets of a resolution. */
export const BUCKET_TABLES: Record<number, string> = {
  1000: 'usage_by_second',
  60_000: 'usage_by_minute',
  3_600_000: 'usage_by_hour',
};
