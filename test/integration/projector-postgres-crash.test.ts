import { migrate } from '@metergate/database';
import { loadConfig } from '@metergate/platform';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { OwnPostgres } from '../support/own-postgres';
import { RunningApp, startApp, testEnv } from '../support/test-app';
import { createTopic, uniqueName } from '../support/test-kafka';
import { UsageStream, caughtUp, expectedAggregates, readAggregates } from '../support/usage-stream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The projector commits with synchronous_commit=off (projector.module.ts): a commit returns before its
 * WAL is written, so a server crash loses the last commits, offsets included, while the consumer's
 * position in memory has moved past them. This proves that nothing is lost nor counted twice anyway.
 * The cluster is the test's own, crashed for real five times mid-stream; its WAL writer is slowed to
 * its maximum delay so that each crash has commits to lose.
 */
describe('projector while its PostgreSQL server crashes mid-stream', () => {
  let cluster: OwnPostgres;
  let projector: RunningApp;
  let stream: UsageStream;
  const database = 'metergate_crash';
  const topic = uniqueName('usage.recorded.v1');
  const group = uniqueName('projector-pg-crash');

  beforeAll(async () => {
    cluster = await OwnPostgres.create({ wal_writer_delay: '10s', max_connections: '40' });
    await migrate(cluster.url(database));
    await createTopic(topic, 3);
    stream = new UsageStream(topic, { orgs: 9, startAt: Date.now() - 240_000 });
    const env = testEnv({
      DATABASE_URL: cluster.url(database),
      USAGE_TOPIC: topic,
      CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
      ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
      PROJECTOR_GROUP_ID: group,
    });
    projector = await startApp('projector', ProjectorModule.create(loadConfig(ProjectorConfig, env)));
  }, 120_000);

  afterAll(async () => {
    await projector?.close();
    await stream?.close();
    await cluster?.destroy();
  });

  const query = <T extends object>(sql: string, params?: unknown[]) =>
    cluster.query<T>(database, sql, params);

  it('counts every event exactly once across five crashes of the server', async () => {
    await stream.produce(500, 50);
    expect(await caughtUp(query, group, stream, 30_000)).toBe(true);
    for (let crash = 0; crash < 5; crash++) {
      // Small sends close together: many small commits, the last of which a crash catches unwritten.
      const flowing = stream.produce(900, 20, 10);
      await sleep(800 + Math.floor(Math.random() * 700));
      await cluster.crash();
      await sleep(500);
      await cluster.start();
      await flowing;
    }
    await stream.produce(300, 50);
    expect(await caughtUp(query, group, stream, 90_000)).toBe(true);
    expect(await readAggregates(query)).toEqual(expectedAggregates(stream.produced));
  }, 240_000);
});
