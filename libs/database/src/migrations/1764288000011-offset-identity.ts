import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which Kafka cluster a stored offset counts records of. An offset means nothing on another cluster (a
 * new broker, `.data/kafka` removed, a restore), where reading from it would skip records unseen. Rows
 * written before this column existed keep NULL until the projector has checked them against the
 * topics' watermarks, and then take the cluster's id.
 */
export class OffsetIdentity1764288000011 implements MigrationInterface {
  name = 'OffsetIdentity1764288000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consumer_offsets ADD COLUMN cluster_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consumer_offsets DROP COLUMN cluster_id`);
  }
}
