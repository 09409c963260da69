import { loadConfig } from '@metergate/platform';
import { AssignerProtocol } from 'kafkajs';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { RunningApp, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, testKafka, uniqueName } from '../support/test-kafka';
import { UsageStream, caughtUp, expectedAggregates, readAggregates } from '../support/usage-stream';

// Two projector instances in one consumer group, booted in this process as main.ts boots them.
describe('projector group rebalancing while events flow', () => {
  let db: TestDatabase;
  let stream: UsageStream;
  const apps: RunningApp[] = [];
  const topic = uniqueName('usage.recorded.v1');
  const group = uniqueName('projector-rebalance');
  const admin = testKafka('rebalance-admin').admin();
  const query = <T extends object>(sql: string, params?: unknown[]) => db.query<T>(sql, params);
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await TestDatabase.create('projector_rebalance');
    await createTopic(topic, 6);
    await admin.connect();
    stream = new UsageStream(topic, { orgs: 12, startAt: Date.now() - 180_000 });
    env = testEnv({
      DATABASE_URL: db.url,
      USAGE_TOPIC: topic,
      CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
      ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
      PROJECTOR_GROUP_ID: group,
      KAFKA_TOPIC_PARTITIONS: '6',
    });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await stream?.close();
    await admin.disconnect();
    await db?.drop();
  });

  const boot = async () => {
    const app = await startApp('projector', ProjectorModule.create(loadConfig(ProjectorConfig, env)));
    apps.push(app);
    return app;
  };

  /** Partitions of the usage topic each stable member holds; undefined while the group rebalances. */
  const assignment = async () => {
    const { groups } = await admin.describeGroups([group]);
    if (groups[0].state !== 'Stable') return undefined;
    return groups[0].members
      .map((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? [])
      .map((partitions) => [...partitions].sort((a, b) => a - b));
  };
  const membersHolding = (count: number) => async () => {
    const members = await assignment();
    return members?.length === count && members.every((p) => p.length > 0) ? members : undefined;
  };

  it('counts every event exactly once when a second instance joins mid-stream and the first then leaves', async () => {
    const first = await boot();
    expect(await eventually(membersHolding(1))).toEqual([[0, 1, 2, 3, 4, 5]]);

    // The stream keeps flowing in the background through both rebalances.
    let flowing = true;
    const producing = (async () => {
      while (flowing) await stream.produce(100, 100, 20);
    })();
    const produced = (count: number) => eventually(async () => stream.produced.length >= count, 30_000);

    expect(await produced(1500)).toBe(true);
    await boot();
    const shared = await eventually(membersHolding(2), 30_000);
    expect(shared?.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const atJoin = stream.produced.length;

    expect(await produced(atJoin + 1500)).toBe(true);
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    expect(await eventually(membersHolding(1), 30_000)).toEqual([[0, 1, 2, 3, 4, 5]]);
    const atLeave = stream.produced.length;

    expect(await produced(atLeave + 1500)).toBe(true);
    flowing = false;
    await producing;
    // Both rebalances happened with events still arriving after them.
    expect(atJoin).toBeLessThan(atLeave);
    expect(atLeave).toBeLessThan(stream.produced.length);

    expect(await caughtUp(query, group, stream, 30_000)).toBe(true);
    expect(await readAggregates(query)).toEqual(expectedAggregates(stream.produced));
  }, 90_000);
});
