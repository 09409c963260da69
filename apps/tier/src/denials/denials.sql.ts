/**
 * Every statement of the denial queries, for review; values are always parameters. Rows are per
 * replica: every query sums over them. Sums are cast to float8, exact for integers up to 2^53, so that
 * they arrive as numbers.
 */
export const DenialsQueriesSql = {
  /**
   * $1 from, $2 to (minutes starting in [from, to)), $3 reason or null, $4 limit: the organizations with
   * the most denials, each with its count per reason, most first (ties by org id, so pages are stable).
   */
  top: `
    WITH top AS (
      SELECT org_id, sum(count) AS total
      FROM denials_by_minute
      WHERE minute >= $1 AND minute < $2 AND ($3::text IS NULL OR reason = $3)
      GROUP BY org_id
      ORDER BY total DESC, org_id
      LIMIT $4
    )
    SELECT top.org_id, top.total::float8 AS total, d.reason, sum(d.count)::float8 AS count
    FROM top
    JOIN denials_by_minute d ON d.org_id = top.org_id
    WHERE d.minute >= $1 AND d.minute < $2 AND ($3::text IS NULL OR d.reason = $3)
    GROUP BY top.org_id, top.total, d.reason
    ORDER BY top.total DESC, top.org_id, d.reason`,

  /** $1 org, $2 from, $3 to: its denials per minute and reason, minutes without any left out. */
  perMinute: `
    SELECT minute, reason, sum(count)::float8 AS count
    FROM denials_by_minute
    WHERE org_id = $1 AND minute >= $2 AND minute < $3
    GROUP BY minute, reason
    ORDER BY minute, reason`,
} as const;
