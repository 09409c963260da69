import { MigrationInterface, QueryRunner } from 'typeorm';
import { ANALYST_ROLE } from './1764288000004-analyst-views';

/**
 * org_access gains each organization's active API keys (keyId, prefix, purpose and the SHA-256 digest the
 * decision API recognizes a presented key by) and its registered custom models, projected from the access
 * events' `access` state like the rest of the row. Rows projected before have neither: '[]'.
 *
 * The analysts' org_access_current view gains both at its end (views may gain columns), each key as
 * keyId, prefix and purpose only: digests stay out of the analysts' reach.
 */
export class OrgAccessKeysAndModels1764288000020 implements MigrationInterface {
  name = 'OrgAccessKeysAndModels1764288000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE org_access
        ADD COLUMN api_keys jsonb NOT NULL DEFAULT '[]'::jsonb,
        ADD COLUMN models   jsonb NOT NULL DEFAULT '[]'::jsonb`);
    // Fields are picked, not stripped: a field added to the keys later stays hidden until added here.
    await q.query(`
      CREATE OR REPLACE VIEW org_access_current AS
      SELECT org_id, tier, status, limit_overrides, version, updated_at,
             (SELECT coalesce(
                       jsonb_agg(
                         jsonb_build_object('keyId', k.key -> 'keyId', 'prefix', k.key -> 'prefix',
                                            'purpose', k.key -> 'purpose')
                         ORDER BY k.position),
                       '[]'::jsonb)
                FROM jsonb_array_elements(a.api_keys) WITH ORDINALITY AS k (key, position)) AS api_keys,
             models
      FROM org_access a`);
    await q.query(
      `COMMENT ON VIEW org_access_current IS 'Tier, status, active API keys (no secrets, no digests) and custom models per organization; none: the default tier, active'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // A view cannot lose columns in place: it is made again as AnalystViews1764288000004 left it.
    await q.query(`DROP VIEW org_access_current`);
    await q.query(`
      CREATE VIEW org_access_current AS
      SELECT org_id, tier, status, limit_overrides, version, updated_at
      FROM org_access`);
    await q.query(
      `COMMENT ON VIEW org_access_current IS 'Tier and status per organization; none: the default tier, active'`,
    );
    await q.query(`GRANT SELECT ON org_access_current TO ${ANALYST_ROLE}`);
    await q.query(`ALTER TABLE org_access DROP COLUMN api_keys, DROP COLUMN models`);
  }
}
