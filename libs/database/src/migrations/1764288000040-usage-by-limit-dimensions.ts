import { MigrationInterface, QueryRunner } from 'typeorm';
import { ANALYST_ROLE } from './1764288000004-analyst-views';

/**
 * What limits as data and reservations need stored (issue 12), and analysts' key dimension (issue 13):
 *
 * - Second buckets by model and minute buckets by user and model, like the hourly and daily rollups:
 *   a limit may count one model's calls or characters, at any resolution, and analysts may group every
 *   granularity by user or model. Rows from before hold neither ('': none named).
 * - Hourly and daily rollups by API key (''; none).
 * - processed_events says at which offset a call's usage event and its admission were first counted,
 *   and whether the usage event counted the call itself: what a decision replica asks when it may have
 *   forgotten an id.
 * - reservations: characters held by admitted calls until their usage event settles them, a release
 *   frees them, or reserved_until passes (readers ignore expired rows; the projector prunes them).
 * - The analysts' views gain key_id, and org_quota the characters reserved (remaining net of them).
 */
export class UsageByLimitDimensions1764288000040 implements MigrationInterface {
  name = 'UsageByLimitDimensions1764288000040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE usage_by_second ADD COLUMN model text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE usage_by_second DROP CONSTRAINT usage_by_second_pkey`);
    await q.query(`ALTER TABLE usage_by_second ADD PRIMARY KEY (org_id, endpoint, model, bucket)`);
    await q.query(`
      ALTER TABLE usage_by_minute
        ADD COLUMN user_id text NOT NULL DEFAULT '',
        ADD COLUMN model   text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE usage_by_minute DROP CONSTRAINT usage_by_minute_pkey`);
    await q.query(`ALTER TABLE usage_by_minute ADD PRIMARY KEY (org_id, bucket, endpoint, user_id, model)`);
    for (const table of ['usage_by_hour', 'usage_by_day']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN key_id text NOT NULL DEFAULT ''`);
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(
        `ALTER TABLE ${table} ADD PRIMARY KEY (org_id, bucket, endpoint, user_id, model, key_id)`,
      );
    }
    await q.query(`
      ALTER TABLE processed_events
        ADD COLUMN usage_offset       bigint,
        ADD COLUMN admission_offset   bigint,
        ADD COLUMN usage_counted_call boolean,
        ADD COLUMN released           boolean NOT NULL DEFAULT false,
        ADD COLUMN call_key           text`);
    await q.query(`
      CREATE TABLE reservations (
        org_id         text        NOT NULL,
        event_id       text        NOT NULL,
        endpoint       text        NOT NULL,
        model          text        NOT NULL DEFAULT '',
        chars          bigint      NOT NULL,
        reserved_at    timestamptz NOT NULL,
        reserved_until timestamptz NOT NULL,
        PRIMARY KEY (org_id, event_id)
      )`);
    await q.query(`CREATE INDEX reservations_until_idx ON reservations (reserved_until)`);

    for (const [view, table] of [
      ['usage_hourly', 'usage_by_hour'],
      ['usage_daily', 'usage_by_day'],
    ]) {
      await q.query(`
        CREATE OR REPLACE VIEW ${view} AS
        SELECT org_id, bucket, endpoint, NULLIF(user_id, '') AS user_id, NULLIF(model, '') AS model,
               calls, input_chars, output_chars, input_chars + output_chars AS total_chars,
               NULLIF(key_id, '') AS key_id
        FROM ${table}`);
    }
    await q.query(`
      CREATE OR REPLACE VIEW org_quota AS
      WITH orgs AS (
        SELECT org_id FROM usage_lifetime
        UNION
        SELECT org_id FROM org_access
        UNION
        SELECT org_id FROM reservations WHERE reserved_until > now()
      ),
      placed AS (
        SELECT o.org_id,
               coalesce(a.tier, (SELECT t.tier FROM policy_tiers t WHERE t.is_default)) AS tier,
               coalesce(a.status, 'active') AS status
        FROM orgs o
        LEFT JOIN org_access a ON a.org_id = o.org_id
      ),
      used AS (
        SELECT p.org_id, p.tier, p.status, q.quota_name, q.endpoints, q.limit_chars,
               (SELECT coalesce(sum(u.input_chars + u.output_chars), 0) FROM usage_lifetime u
                 WHERE u.org_id = p.org_id AND u.endpoint = ANY (q.endpoints))::bigint AS used_chars,
               (SELECT coalesce(sum(r.chars), 0) FROM reservations r
                 WHERE r.org_id = p.org_id AND r.endpoint = ANY (q.endpoints) AND r.reserved_until > now())::bigint
                 AS reserved_chars
        FROM placed p
        JOIN policy_quotas q ON q.tier = p.tier
      )
      SELECT org_id, tier, status, quota_name, endpoints, limit_chars, used_chars,
             greatest(limit_chars - used_chars - reserved_chars, 0) AS remaining_chars,
             used_chars + reserved_chars >= limit_chars AS exhausted,
             reserved_chars
      FROM used`);
    await q.query(`GRANT SELECT ON usage_hourly, usage_daily, org_quota TO ${ANALYST_ROLE}`);
  }

  /** Takes the new dimensions out again, summing what they split (nothing counted is lost). */
  async down(q: QueryRunner): Promise<void> {
    for (const view of ['org_quota', 'usage_hourly', 'usage_daily']) await q.query(`DROP VIEW ${view}`);
    await q.query(`DROP TABLE reservations`);
    await q.query(`
      ALTER TABLE processed_events
        DROP COLUMN usage_offset, DROP COLUMN admission_offset, DROP COLUMN usage_counted_call,
        DROP COLUMN released, DROP COLUMN call_key`);
    await collapse(q, 'usage_by_hour', ['org_id', 'bucket', 'endpoint', 'user_id', 'model'], 'key_id');
    await collapse(q, 'usage_by_day', ['org_id', 'bucket', 'endpoint', 'user_id', 'model'], 'key_id');
    await collapse(q, 'usage_by_minute', ['org_id', 'endpoint', 'bucket'], 'user_id', 'model');
    await collapse(q, 'usage_by_second', ['org_id', 'endpoint', 'bucket'], 'model');
    for (const [view, table] of [
      ['usage_hourly', 'usage_by_hour'],
      ['usage_daily', 'usage_by_day'],
    ]) {
      await q.query(`
        CREATE VIEW ${view} AS
        SELECT org_id, bucket, endpoint, NULLIF(user_id, '') AS user_id, NULLIF(model, '') AS model,
               calls, input_chars, output_chars, input_chars + output_chars AS total_chars
        FROM ${table}`);
    }
    await q.query(`
      CREATE VIEW org_quota AS
      WITH orgs AS (SELECT org_id FROM usage_lifetime UNION SELECT org_id FROM org_access),
      placed AS (
        SELECT o.org_id,
               coalesce(a.tier, (SELECT t.tier FROM policy_tiers t WHERE t.is_default)) AS tier,
               coalesce(a.status, 'active') AS status
        FROM orgs o LEFT JOIN org_access a ON a.org_id = o.org_id),
      used AS (
        SELECT p.org_id, p.tier, p.status, q.quota_name, q.endpoints, q.limit_chars,
               coalesce(sum(u.input_chars + u.output_chars), 0)::bigint AS used_chars
        FROM placed p
        JOIN policy_quotas q ON q.tier = p.tier
        LEFT JOIN usage_lifetime u ON u.org_id = p.org_id AND u.endpoint = ANY (q.endpoints)
        GROUP BY p.org_id, p.tier, p.status, q.quota_name, q.endpoints, q.limit_chars)
      SELECT org_id, tier, status, quota_name, endpoints, limit_chars, used_chars,
             greatest(limit_chars - used_chars, 0) AS remaining_chars, used_chars >= limit_chars AS exhausted
      FROM used`);
    await q.query(`GRANT SELECT ON usage_hourly, usage_daily, org_quota TO ${ANALYST_ROLE}`);
  }
}

/** Sums a table's rows over the columns that go, then drops them and keys it by `keep`. */
async function collapse(q: QueryRunner, table: string, keep: string[], ...drop: string[]): Promise<void> {
  const key = keep.join(', ');
  await q.query(`
    CREATE TEMP TABLE collapsed ON COMMIT DROP AS
    SELECT ${key}, sum(calls) AS calls, sum(input_chars) AS input_chars, sum(output_chars) AS output_chars
    FROM ${table} GROUP BY ${key}`);
  await q.query(`DELETE FROM ${table}`);
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
  await q.query(`ALTER TABLE ${table} ${drop.map((c) => `DROP COLUMN ${c}`).join(', ')}`);
  await q.query(`ALTER TABLE ${table} ADD PRIMARY KEY (${key})`);
  await q.query(`INSERT INTO ${table} (${key}, calls, input_chars, output_chars) SELECT * FROM collapsed`);
  await q.query(`DROP TABLE collapsed`);
}
