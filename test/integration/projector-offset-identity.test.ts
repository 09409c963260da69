import { loadConfig } from '@metergate/platform';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { realignOffsets } from '../../apps/projector/src/offsets/realign-offsets';
import { RunningApp, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, testKafka, uniqueName } from '../support/test-kafka';
import { UsageStream, appliedMessages, caughtUp } from '../support/usage-stream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A database whose stored offsets came from other topics than the broker holds: as after `npm start`
// with .data/kafka removed, a new cluster, or topics deleted and created again.
describe('projector against offsets stored for other topics', () => {
  let db: TestDatabase;
  let projector: RunningApp | undefined;
  let config: ProjectorConfig;
  const group = uniqueName('projector-identity');
  const topic = uniqueName('usage.recorded.v1');
  const query = <T extends object>(sql: string, params?: unknown[]) => db.query<T>(sql, params);

  beforeAll(async () => {
    db = await TestDatabase.create('projector_identity');
    await createTopic(topic, 3);
    config = loadConfig(
      ProjectorConfig,
      testEnv({
        DATABASE_URL: db.url,
        USAGE_TOPIC: topic,
        CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
        ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
        PROJECTOR_GROUP_ID: group,
      }),
    );
  });

  afterAll(async () => {
    await projector?.close();
    await db?.drop();
  });

  const start = async () => (projector = await startApp('projector', ProjectorModule.create(config)));
  const stop = async () => {
    await projector?.close();
    projector = undefined;
  };
  const readiness = async () => {
    const response = await fetch(`${projector!.url}/health/ready`);
    return { status: response.status, body: await response.text() };
  };
  const calls = async () =>
    Number((await query<{ n: string }>('SELECT coalesce(sum(calls), 0) AS n FROM usage_lifetime'))[0].n);

  it('refuses to apply from offsets of deleted topics, says so and how to proceed, then counts once realigned', async () => {
    const before = new UsageStream(topic, { orgs: 3, startAt: Date.now() - 60_000, duplicateEvery: 1000 });
    await start();
    await before.produce(300, 50);
    expect(await caughtUp(query, group, before, 30_000)).toBe(true);
    await before.close();
    await stop();
    const countedBefore = await calls();

    // The topic is deleted and created again under the same name: its offsets start over at 0.
    const admin = testKafka('identity').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    await eventually(async () => !(await admin.listTopics()).includes(topic), 15_000);
    await admin.disconnect();
    await eventually(
      () =>
        createTopic(topic, 3).then(
          () => true,
          () => false,
        ),
      15_000,
      500,
    );
    const after = new UsageStream(topic, { orgs: 3, startAt: Date.now() - 30_000, duplicateEvery: 1000 });
    // New calls (ids the old topic never had), fewer than the old offsets in every partition.
    const event = after.event.bind(after);
    after.event = (i: number) => ({ ...event(i), id: `new-${i}` });
    await after.produce(60, 20);

    await start();
    const refused = await eventually(async () => {
      const ready = await readiness();
      return ready.status === 503 && ready.body.includes('other topics') ? ready : undefined;
    }, 20_000);
    expect(refused?.body).toContain(`consumer group ${group}`);
    expect(refused?.body).toMatch(
      new RegExp(`${topic.replace(/\./g, '\\.')}\\[\\d\\]: next offset \\d+ is beyond the partition's end`),
    );
    expect(refused?.body).toContain('npm run realign-offsets');
    await sleep(3000);
    expect(await calls()).toBe(countedBefore);

    const { mismatches, realigned } = await realignOffsets(config);
    expect(mismatches.length).toBeGreaterThan(0);
    expect(realigned).toEqual([
      { group, topic, partitions: [0, 1, 2].map((partition) => ({ partition, from: '0' })) },
    ]);
    // The projector goes on by itself and counts the new topic from its start.
    expect(await caughtUp(query, group, after, 30_000)).toBe(true);
    expect(await calls()).toBe(countedBefore + 60);
    expect(await eventually(async () => (await readiness()).status === 200, 15_000)).toBe(true);
    await after.close();
    await stop();
  }, 120_000);

  it('refuses offsets stored for another Kafka cluster, even where the numbers would fit', async () => {
    const applied = await appliedMessages(query, group, topic);
    const counted = await calls();
    await query(`UPDATE consumer_offsets SET cluster_id = 'a-cluster-long-gone' WHERE consumer_group = $1`, [
      group,
    ]);
    await start();
    const refused = await eventually(async () => {
      const ready = await readiness();
      return ready.status === 503 && ready.body.includes('a-cluster-long-gone') ? ready : undefined;
    }, 20_000);
    expect(refused?.body).toContain(
      'was stored for Kafka cluster a-cluster-long-gone, the broker is cluster',
    );

    expect((await realignOffsets(config)).realigned.map((r) => r.topic)).toContain(topic);
    expect(await eventually(async () => (await readiness()).status === 200, 15_000)).toBe(true);
    // Counted again from the topic's start: what was counted before is known by its dedupe marks.
    expect(
      await eventually(async () => (await appliedMessages(query, group, topic)) === applied, 20_000),
    ).toBe(true);
    expect(await calls()).toBe(counted);
    expect((await realignOffsets(config)).realigned).toEqual([]);
  }, 60_000);
});
