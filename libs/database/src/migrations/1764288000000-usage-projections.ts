import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The projector's tables. Rate windows read the per-second and per-minute buckets (pruned after a few
 * minutes and a few days); analysts read the hourly and daily rollups (kept); quotas read lifetime
 * totals. processed_events makes every event count once; consumer_offsets is written in the same
 * transaction as the aggregates, which is what makes the projection exactly-once in effect.
 */
export class UsageProjections1764288000000 implements MigrationInterface {
  name = 'UsageProjections1764288000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['usage_by_second', 'usage_by_minute']) {
      await q.query(`
        CREATE TABLE ${table} (
          org_id       text        NOT NULL,
          endpoint     text        NOT NULL,
          bucket       timestamptz NOT NULL,
          calls        bigint      NOT NULL DEFAULT 0,
          input_chars  bigint      NOT NULL DEFAULT 0,
          output_chars bigint      NOT NULL DEFAULT 0,
          PRIMARY KEY (org_id, endpoint, bucket)
        )`);
      await q.query(`CREATE INDEX ${table}_bucket_idx ON ${table} (bucket)`);
    }
    for (const table of ['usage_by_hour', 'usage_by_day']) {
      await q.query(`
        CREATE TABLE ${table} (
          org_id       text        NOT NULL,
          bucket       timestamptz NOT NULL,
          endpoint     text        NOT NULL,
          user_id      text        NOT NULL DEFAULT '',
          model        text        NOT NULL DEFAULT '',
          calls        bigint      NOT NULL DEFAULT 0,
          input_chars  bigint      NOT NULL DEFAULT 0,
          output_chars bigint      NOT NULL DEFAULT 0,
          PRIMARY KEY (org_id, bucket, endpoint, user_id, model)
        )`);
      await q.query(`CREATE INDEX ${table}_bucket_idx ON ${table} (bucket)`);
    }
    await q.query(`
      CREATE TABLE usage_lifetime (
        org_id       text   NOT NULL,
        endpoint     text   NOT NULL,
        calls        bigint NOT NULL DEFAULT 0,
        input_chars  bigint NOT NULL DEFAULT 0,
        output_chars bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (org_id, endpoint)
      )`);
    await q.query(`
      CREATE TABLE processed_events (
        org_id        text        NOT NULL,
        event_id      text        NOT NULL,
        has_usage     boolean     NOT NULL DEFAULT false,
        has_admission boolean     NOT NULL DEFAULT false,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org_id, event_id)
      )`);
    await q.query(`CREATE INDEX processed_events_first_seen_idx ON processed_events (first_seen_at)`);
    await q.query(`
      CREATE TABLE consumer_offsets (
        consumer_group text        NOT NULL,
        topic          text        NOT NULL,
        partition      integer     NOT NULL,
        next_offset    bigint      NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, topic, partition)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'consumer_offsets',
      'processed_events',
      'usage_lifetime',
      'usage_by_day',
      'usage_by_hour',
      'usage_by_minute',
      'usage_by_second',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
