import { MigrationInterface, QueryRunner } from 'typeorm';

export const ANALYST_ROLE = 'metergate_analyst';

/**
 * Stable views for analysts' own SQL tools, and a read-only role that may read only them. The views are
 * the contract: columns may be added, never renamed or removed, whatever happens to the tables beneath.
 * '' (no user, no model) in the tables is NULL in the views, as SQL tools expect.
 *
 * Quota status needs the limits of the access policy document: see org_quota (OrgQuotaView1764288000005).
 */
export class AnalystViews1764288000004 implements MigrationInterface {
  name = 'AnalystViews1764288000004';

  async up(q: QueryRunner): Promise<void> {
    for (const [view, table] of [
      ['usage_hourly', 'usage_by_hour'],
      ['usage_daily', 'usage_by_day'],
    ]) {
      await q.query(`
        CREATE VIEW ${view} AS
        SELECT org_id,
               bucket,
               endpoint,
               NULLIF(user_id, '') AS user_id,
               NULLIF(model, '')   AS model,
               calls,
               input_chars,
               output_chars,
               input_chars + output_chars AS total_chars
        FROM ${table}`);
    }
    await q.query(`
      CREATE VIEW usage_totals AS
      SELECT org_id, endpoint, calls, input_chars, output_chars, input_chars + output_chars AS total_chars
      FROM usage_lifetime`);
    // An organization without a row is on the policy's default tier and active.
    await q.query(`
      CREATE VIEW org_access_current AS
      SELECT org_id, tier, status, limit_overrides, version, updated_at
      FROM org_access`);
    await q.query(
      `COMMENT ON VIEW usage_hourly IS 'Calls and characters per organization, hour (UTC), endpoint, user and model'`,
    );
    await q.query(
      `COMMENT ON VIEW usage_daily IS 'Calls and characters per organization, day (UTC), endpoint, user and model'`,
    );
    await q.query(
      `COMMENT ON VIEW usage_totals IS 'Lifetime calls and characters per organization and endpoint (what quotas count)'`,
    );
    await q.query(
      `COMMENT ON VIEW org_access_current IS 'Tier and status per organization; none: the default tier, active'`,
    );

    // Roles belong to the cluster, not the database: another database (or a concurrent migration) may
    // have created it already.
    await q.query(`
      DO $$
      BEGIN
        CREATE ROLE ${ANALYST_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${ANALYST_ROLE}`);
    await q.query(
      `GRANT SELECT ON usage_hourly, usage_daily, usage_totals, org_access_current TO ${ANALYST_ROLE}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // The role stays: other databases of the cluster may still grant it.
    for (const view of ['org_access_current', 'usage_totals', 'usage_daily', 'usage_hourly']) {
      await q.query(`REVOKE ALL ON ${view} FROM ${ANALYST_ROLE}`);
      await q.query(`DROP VIEW ${view}`);
    }
  }
}
