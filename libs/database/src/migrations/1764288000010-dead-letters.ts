import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records the projector set aside: ones it could not decode, and ones PostgreSQL refused (a NUL in an
 * id, a number out of range) after their retries. Each is kept whole with where it came from and why,
 * so that nothing accepted disappears without a trace, and its offset moved on in the same transaction
 * as the row was written, so that one bad record never holds back the records behind it.
 */
export class DeadLetters1764288000010 implements MigrationInterface {
  name = 'DeadLetters1764288000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dead_letters (
        id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        consumer_group   text        NOT NULL,
        topic            text        NOT NULL,
        partition        integer     NOT NULL,
        "offset"         bigint      NOT NULL,
        record_key       bytea,
        record_value     bytea,
        record_timestamp timestamptz,
        error            text        NOT NULL,
        error_code       text,
        first_failed_at  timestamptz NOT NULL,
        set_aside_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (consumer_group, topic, partition, "offset")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letters`);
  }
}
