import { DatabaseConnection, dataSourceOptions } from '@metergate/database';
import { PlatformConfig, ReadinessChecks, loadConfig } from '@metergate/platform';
import { DataSource } from 'typeorm';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { PRUNE_BATCH_ROWS } from '../../apps/projector/src/retention/periodic-pruning';
import { UsageRetention } from '../../apps/projector/src/usage/usage-retention';
import { testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

// The projector's pruning against the real PostgreSQL: a backlog larger than one statement may delete.
describe('usage retention', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await TestDatabase.create('retention');
    dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('deletes every aged dedupe mark in statements of at most PRUNE_BATCH_ROWS, and keeps the others', async () => {
    const aged = 2 * PRUNE_BATCH_ROWS + 1234;
    await db.query(
      `INSERT INTO processed_events (org_id, event_id, has_usage, first_seen_at)
       SELECT 'org-' || (i % 7), 'old-' || i, true, now() - interval '200 hours' FROM generate_series(1, $1::int) i`,
      [aged],
    );
    await db.query(
      `INSERT INTO processed_events (org_id, event_id, has_usage)
       SELECT 'org-' || (i % 7), 'new-' || i, true FROM generate_series(1, 500) i`,
    );
    const env = testEnv({ DATABASE_URL: db.url, DEDUPE_RETENTION_HOURS: '192' });
    const connection = new DatabaseConnection(
      dataSource,
      loadConfig(PlatformConfig, env),
      new ReadinessChecks(),
    );
    const retention = new UsageRetention(connection, loadConfig(ProjectorConfig, env));
    const query = jest.spyOn(dataSource, 'query');

    await retention.prune();

    const deletes = await Promise.all(
      query.mock.results.map(async (r) => (await r.value) as [unknown, number]),
    );
    const marks = query.mock.calls
      .map(([sql], i) => ({ sql, deleted: deletes[i][1] }))
      .filter(({ sql }) => sql.includes('processed_events'));
    expect(marks.map((m) => m.deleted)).toEqual([PRUNE_BATCH_ROWS, PRUNE_BATCH_ROWS, 1234]);
    const [{ old, kept }] = await db.query<{ old: number; kept: number }>(
      `SELECT count(*) FILTER (WHERE event_id LIKE 'old-%')::int AS old,
              count(*) FILTER (WHERE event_id LIKE 'new-%')::int AS kept FROM processed_events`,
    );
    expect({ old, kept }).toEqual({ old: 0, kept: 500 });
  });
});
