import { createHash } from 'node:crypto';
import { Client } from 'pg';

/**
 * A database of known organizations, written with generate_series in a few statements (seconds for a
 * million rows). Org i is `org_` and the first 20 hex digits of md5(i): ids of a realistic length that
 * share no prefix. Every org has an access row (1 in 10 on production, 1 in 100 suspended) and lifetime
 * totals for generate and embed (below the trial quota); the orgs with i % 10 = 1 (trial, active) are
 * the active ones: embed calls in 10 minute buckets of the last 24 h and 3 second buckets of the last
 * 30 s, the latter also added to their minute buckets as the projector would.
 */
export const SeedSql = {
  access: `
    INSERT INTO org_access (org_id, tier, status, limit_overrides, version, updated_at)
    SELECT 'org_' || substr(md5(i::text), 1, 20),
           CASE WHEN i % 10 = 0 THEN 'production' ELSE 'trial' END,
           CASE WHEN i % 100 = 7 THEN 'suspended' ELSE 'active' END,
           '{}'::jsonb, 1 + i % 3, now()
    FROM generate_series(1, $1::int) AS i`,

  lifetime: `
    INSERT INTO usage_lifetime (org_id, endpoint, calls, input_chars, output_chars)
    SELECT 'org_' || substr(md5(i::text), 1, 20), e.endpoint, 1 + i % 50, (i % 997) * 100, (i % 991) * 200
    FROM generate_series(1, $1::int) AS i CROSS JOIN (VALUES ('generate'), ('embed')) AS e(endpoint)`,

  minutes: `
    INSERT INTO usage_by_minute (org_id, endpoint, bucket, calls)
    SELECT 'org_' || substr(md5(i::text), 1, 20), 'embed',
           date_trunc('minute', now()) - ((k * 140 + i % 140) + 2) * interval '1 minute', 1 + (i + k) % 5
    FROM generate_series(1, $1::int) AS i CROSS JOIN generate_series(0, 9) AS k
    WHERE i % 10 = 1`,

  seconds: `
    INSERT INTO usage_by_second (org_id, endpoint, bucket, calls)
    SELECT 'org_' || substr(md5(i::text), 1, 20), 'embed',
           date_trunc('second', now()) - (i % 10 + 1 + k * 10) * interval '1 second', 1
    FROM generate_series(1, $1::int) AS i CROSS JOIN generate_series(0, 2) AS k
    WHERE i % 10 = 1`,

  secondsIntoMinutes: `
    INSERT INTO usage_by_minute (org_id, endpoint, model, bucket, calls)
    SELECT org_id, endpoint, model, date_trunc('minute', bucket), sum(calls) FROM usage_by_second
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (org_id, bucket, endpoint, user_id, model)
      DO UPDATE SET calls = usage_by_minute.calls + excluded.calls`,
} as const;

export const orgId = (i: number) => `org_${createHash('md5').update(String(i)).digest('hex').slice(0, 20)}`;

/** The ids of the active orgs of a database seeded with `orgs` orgs. */
export const activeOrgIds = (orgs: number) => Array.from({ length: orgs / 10 }, (_, k) => orgId(k * 10 + 1));

/** Runs statements one after the other on a connection of its own. */
async function onConnection(databaseUrl: string, statements: [string, unknown[]][]): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // Bench data: a crash of PostgreSQL during the seed would fail the run anyway.
    await db.query('SET synchronous_commit = off');
    for (const [sql, values] of statements) await db.query(sql, values);
  } finally {
    await db.end();
  }
}

/** Seeds `orgs` known orgs (a tenth of them active) into an empty, migrated database; returns the ms taken. */
export async function seedOrgs(databaseUrl: string, orgs: number): Promise<number> {
  const started = performance.now();
  // The three large tables on three connections at once.
  await Promise.all([
    onConnection(databaseUrl, [[SeedSql.access, [orgs]]]),
    onConnection(databaseUrl, [[SeedSql.lifetime, [orgs]]]),
    onConnection(databaseUrl, [[SeedSql.minutes, [orgs]]]),
  ]);
  // The second buckets last, so that they are still inside the minute window when the app loads them.
  await onConnection(databaseUrl, [
    [SeedSql.seconds, [orgs]],
    [SeedSql.secondsIntoMinutes, []],
    ['ANALYZE', []],
  ]);
  return performance.now() - started;
}
