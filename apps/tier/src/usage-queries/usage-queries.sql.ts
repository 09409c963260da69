import { Granularity } from './usage-range';

export type SeriesDimension = 'endpoint' | 'user' | 'model' | 'key';

const TABLES: Record<Granularity, string> = {
  minute: 'usage_by_minute',
  hour: 'usage_by_hour',
  day: 'usage_by_day',
};

const COLUMNS: Record<SeriesDimension, string> = {
  endpoint: 'endpoint',
  user: 'user_id',
  model: 'model',
  key: 'key_id',
};

/**
 * Every statement of the analysts' queries, for review. Table and column names come only from the two
 * closed maps above (never from a request); values are always parameters. Sums are cast to float8, exact
 * for integers up to 2^53, so that they arrive as numbers.
 *
 * series: $1 org, $2 from, $3 to (buckets starting in [from, to)), $4 endpoint or null.
 */
export function seriesSql(granularity: Granularity, dimension: SeriesDimension | undefined): string {
  const key = dimension ? COLUMNS[dimension] : `''`;
  return `
    SELECT bucket, ${key} AS key,
           sum(calls)::float8 AS calls, sum(input_chars)::float8 AS input_chars,
           sum(output_chars)::float8 AS output_chars
    FROM ${TABLES[granularity]}
    WHERE org_id = $1 AND bucket >= $2 AND bucket < $3 AND ($4::text IS NULL OR endpoint = $4)
    GROUP BY bucket, key
    ORDER BY bucket, key`;
}

export const UsageQueriesSql = {
  /** $1 org. No row: the policy's default tier, active, no overrides. */
  access: `SELECT tier, status, limit_overrides FROM org_access WHERE org_id = $1`,

  /** $1 org: lifetime calls and characters per endpoint, what lifetime quotas are measured against. */
  lifetimeTotals: `
    SELECT endpoint, '' AS model, calls::float8 AS calls, (input_chars + output_chars)::float8 AS chars
    FROM usage_lifetime
    WHERE org_id = $1`,

  /**
   * $1 org, $2 the first day counted or null for all of them: calls and characters per endpoint and model
   * ('' for none) from the daily rollups, what monthly quotas (and lifetime quotas of some models) count.
   */
  dailyTotals: `
    SELECT endpoint, model, sum(calls)::float8 AS calls, sum(input_chars + output_chars)::float8 AS chars
    FROM usage_by_day
    WHERE org_id = $1 AND ($2::timestamptz IS NULL OR bucket >= $2)
    GROUP BY endpoint, model`,

  /** $1 org: characters its open reservations hold, per endpoint and model (as the org_quota view counts). */
  openReservations: `
    SELECT endpoint, model, 0::float8 AS calls, sum(chars)::float8 AS chars
    FROM reservations
    WHERE org_id = $1 AND reserved_until > now()
    GROUP BY endpoint, model`,

  /**
   * $1 from, $2 to (hourly buckets starting in [from, to)), $3 endpoint or null, $4 metric ('calls' or
   * 'chars'), $5 limit. Ties are broken by org id so that pages are stable.
   */
  top: `
    SELECT org_id, sum(calls)::float8 AS calls, sum(input_chars)::float8 AS input_chars,
           sum(output_chars)::float8 AS output_chars
    FROM usage_by_hour
    WHERE bucket >= $1 AND bucket < $2 AND ($3::text IS NULL OR endpoint = $3)
    GROUP BY org_id
    ORDER BY CASE WHEN $4 = 'calls' THEN sum(calls) ELSE sum(input_chars + output_chars) END DESC, org_id
    LIMIT $5`,

  /** The policy copy behind the org_quota view; quotas go with their tier (ON DELETE CASCADE). */
  clearPolicyTiers: `DELETE FROM policy_tiers`,
  insertPolicyTier: `INSERT INTO policy_tiers (tier, is_default) VALUES ($1, $2)`,
  insertPolicyQuota: `
    INSERT INTO policy_quotas (tier, quota_name, endpoints, limit_chars) VALUES ($1, $2, $3::text[], $4)`,
} as const;
