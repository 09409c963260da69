import { MigrationInterface, QueryRunner } from 'typeorm';
import { ANALYST_ROLE } from './1764288000004-analyst-views';

/**
 * The analysts' org_quota view. Quotas are defined by the access policy document, not by events, so the
 * tier app copies the policy's tiers and quotas into policy_tiers and policy_quotas at start (replacing
 * what was there); the view joins them with lifetime usage by the decision API's rule: a quota is
 * exhausted once used reaches the limit.
 */
export class OrgQuotaView1764288000005 implements MigrationInterface {
  name = 'OrgQuotaView1764288000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policy_tiers (
        tier       text    PRIMARY KEY,
        is_default boolean NOT NULL DEFAULT false
      )`);
    await q.query(`
      CREATE TABLE policy_quotas (
        tier        text   NOT NULL REFERENCES policy_tiers (tier) ON DELETE CASCADE,
        quota_name  text   NOT NULL,
        endpoints   text[] NOT NULL,
        limit_chars bigint NOT NULL,
        PRIMARY KEY (tier, quota_name)
      )`);
    // Every organization with usage or an access row; one without a row is on the default tier, active.
    await q.query(`
      CREATE VIEW org_quota AS
      WITH orgs AS (
        SELECT org_id FROM usage_lifetime
        UNION
        SELECT org_id FROM org_access
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
               coalesce(sum(u.input_chars + u.output_chars), 0)::bigint AS used_chars
        FROM placed p
        JOIN policy_quotas q ON q.tier = p.tier
        LEFT JOIN usage_lifetime u ON u.org_id = p.org_id AND u.endpoint = ANY (q.endpoints)
        GROUP BY p.org_id, p.tier, p.status, q.quota_name, q.endpoints, q.limit_chars
      )
      SELECT org_id, tier, status, quota_name, endpoints, limit_chars, used_chars,
             greatest(limit_chars - used_chars, 0) AS remaining_chars,
             used_chars >= limit_chars AS exhausted
      FROM used`);
    await q.query(
      `COMMENT ON VIEW org_quota IS 'Each lifetime character quota of an organization''s tier: limit, used, remaining, exhausted'`,
    );
    await q.query(`GRANT SELECT ON org_quota TO ${ANALYST_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE ALL ON org_quota FROM ${ANALYST_ROLE}`);
    await q.query(`DROP VIEW org_quota`);
    await q.query(`DROP TABLE policy_quotas`);
    await q.query(`DROP TABLE policy_tiers`);
  }
}
