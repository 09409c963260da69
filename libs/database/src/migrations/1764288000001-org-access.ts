import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read model of each organization's access, projected from access.events.v1. An organization without
 * a row has never been touched by the tier service: it is on the policy's default tier and active.
 */
export class OrgAccess1764288000001 implements MigrationInterface {
  name = 'OrgAccess1764288000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_access (
        org_id          text        PRIMARY KEY,
        tier            text        NOT NULL,
        status          text        NOT NULL CHECK (status IN ('active', 'suspended')),
        limit_overrides jsonb       NOT NULL DEFAULT '{}'::jsonb,
        version         integer     NOT NULL,
        updated_at      timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE org_access`);
  }
}
