import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The decision replicas' denials, projected from decision.denials.v1: each replica's final count per
 * organization, minute and reason. A row per replica, not a sum, is what makes the projection
 * idempotent: a count is stored by its key, so the same record read twice changes nothing. Queries
 * sum over replicas.
 */
export class DenialsByMinute1764288000030 implements MigrationInterface {
  name = 'DenialsByMinute1764288000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE denials_by_minute (
        minute     timestamptz NOT NULL,
        org_id     text        NOT NULL,
        reason     text        NOT NULL,
        replica_id text        NOT NULL,
        count      bigint      NOT NULL CHECK (count > 0),
        PRIMARY KEY (minute, org_id, reason, replica_id)
      )`);
    // The primary key serves ranges over every organization (top, retention); this one, one org's.
    await q.query(`CREATE INDEX denials_by_minute_org ON denials_by_minute (org_id, minute)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE denials_by_minute`);
  }
}
