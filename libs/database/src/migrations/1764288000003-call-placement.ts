import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a usage event counted its call (time and dimensions), kept until its admission arrives. A call
 * belongs at its admission's place when there is one; when the usage event came first, the admission
 * moves the call there. Then the projection does not depend on which topic was read first, and a
 * replay gives the live tables row for row.
 */
export class CallPlacement1764288000003 implements MigrationInterface {
  name = 'CallPlacement1764288000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE processed_events
        ADD COLUMN call_at       timestamptz,
        ADD COLUMN call_endpoint text,
        ADD COLUMN call_user     text,
        ADD COLUMN call_model    text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE processed_events
        DROP COLUMN call_at, DROP COLUMN call_endpoint, DROP COLUMN call_user, DROP COLUMN call_model`);
  }
}
