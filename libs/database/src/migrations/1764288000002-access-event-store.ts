import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tier service's write side. access_events is the source of truth: append-only (a trigger refuses
 * UPDATE and DELETE) and unique per (org_id, version), so of two commands decided on the same version
 * exactly one commits. access_outbox is written in the same transaction and drained to Kafka by the
 * relay; access_applications is the review queue, projected in that same transaction too.
 */
export class AccessEventStore1764288000002 implements MigrationInterface {
  name = 'AccessEventStore1764288000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_events (
        position    bigserial   PRIMARY KEY,
        org_id      text        NOT NULL,
        version     integer     NOT NULL CHECK (version > 0),
        event_id    uuid        NOT NULL UNIQUE,
        type        text        NOT NULL,
        data        jsonb       NOT NULL,
        actor       text        NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT access_events_org_version_key UNIQUE (org_id, version)
      )`);
    await q.query(`
      CREATE FUNCTION access_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER access_events_append_only BEFORE UPDATE OR DELETE ON access_events
      FOR EACH ROW EXECUTE FUNCTION access_events_append_only()`);
    await q.query(`
      CREATE TABLE access_outbox (
        id         bigserial   PRIMARY KEY,
        org_id     text        NOT NULL,
        event_id   uuid        NOT NULL UNIQUE,
        message    text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at    timestamptz
      )`);
    await q.query(`CREATE INDEX access_outbox_unsent_idx ON access_outbox (id) WHERE sent_at IS NULL`);
    await q.query(`
      CREATE TABLE access_applications (
        application_id text        PRIMARY KEY,
        org_id         text        NOT NULL,
        status         text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        use_case       text        NOT NULL,
        intended_use   text        NOT NULL,
        risks          text        NOT NULL,
        submitted_by   text        NOT NULL,
        submitted_at   timestamptz NOT NULL,
        decided_by     text,
        decided_at     timestamptz,
        note           text,
        reason         text
      )`);
    await q.query(
      `CREATE INDEX access_applications_queue_idx ON access_applications (status, submitted_at, application_id)`,
    );
    await q.query(`CREATE INDEX access_applications_org_idx ON access_applications (org_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_applications`);
    await q.query(`DROP TABLE access_outbox`);
    await q.query(`DROP TABLE access_events`);
    await q.query(`DROP FUNCTION access_events_append_only()`);
  }
}
