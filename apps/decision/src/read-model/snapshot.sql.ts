/**
 * Every statement the decision app runs, in one place for review. All of a load run in one
 * REPEATABLE READ transaction, so the rows and the projector's offsets describe the same moment.
 */
export const SnapshotSql = {
  begin: `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`,
  commit: `COMMIT`,
  rollback: `ROLLBACK`,

  projectorOffsets: `
    SELECT topic, partition, next_offset::float8 AS next_offset,
           (extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms
    FROM consumer_offsets
    WHERE consumer_group = $1 AND topic = ANY($2::text[])`,

  secondBuckets: `
    SELECT org_id, endpoint, (extract(epoch FROM bucket) * 1000)::float8 AS at_ms, calls::float8 AS calls
    FROM usage_by_second
    WHERE org_id = ANY($1::text[]) AND bucket >= $2 AND calls > 0`,

  minuteBuckets: `
    SELECT org_id, endpoint, (extract(epoch FROM bucket) * 1000)::float8 AS at_ms, calls::float8 AS calls
    FROM usage_by_minute
    WHERE org_id = ANY($1::text[]) AND bucket >= $2 AND calls > 0`,

  lifetimeChars: `
    SELECT org_id, endpoint, (input_chars + output_chars)::float8 AS chars
    FROM usage_lifetime
    WHERE org_id = ANY($1::text[])`,

  access: `
    SELECT org_id, tier, status, limit_overrides, version
    FROM org_access
    WHERE org_id = ANY($1::text[])`,
} as const;
