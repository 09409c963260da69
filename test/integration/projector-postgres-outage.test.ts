import { loadConfig } from '@metergate/platform';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { TcpProxy } from '../support/tcp-proxy';
import { RunningApp, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, testKafka, uniqueName } from '../support/test-kafka';
import {
  UsageStream,
  appliedMessages,
  caughtUp,
  expectedAggregates,
  readAggregates,
} from '../support/usage-stream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The shared PostgreSQL stays up for everyone else: only this projector's link to it is cut, by a proxy.
describe('projector while PostgreSQL is unreachable', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let projector: RunningApp;
  let stream: UsageStream;
  const topic = uniqueName('usage.recorded.v1');
  const group = uniqueName('projector-pg-outage');
  const admin = testKafka('outage-admin').admin();
  const query = <T extends object>(sql: string, params?: unknown[]) => db.query<T>(sql, params);

  beforeAll(async () => {
    db = await TestDatabase.create('projector_outage');
    const direct = new URL(db.url);
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    await createTopic(topic, 3);
    await admin.connect();
    stream = new UsageStream(topic, { orgs: 6, startAt: Date.now() - 180_000 });
    const env = testEnv({
      DATABASE_URL: viaProxy.toString(),
      USAGE_TOPIC: topic,
      CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
      ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
      PROJECTOR_GROUP_ID: group,
    });
    projector = await startApp('projector', ProjectorModule.create(loadConfig(ProjectorConfig, env)));
  });

  afterAll(async () => {
    proxy?.restore();
    await projector?.close();
    await stream?.close();
    await admin.disconnect();
    await proxy?.close();
    await db?.drop();
  });

  const ready = async () => (await fetch(`${projector.url}/health/ready`)).status;

  /** What the group has committed to Kafka: only ever what PostgreSQL already holds. */
  const kafkaCommitted = async () => {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };

  it('pauses while the link is cut, reports not ready, then resumes where it was with every count exact', async () => {
    await stream.produce(1000);
    expect(await caughtUp(query, group, stream, 20_000)).toBe(true);
    expect(await eventually(async () => (await ready()) === 200)).toBe(true);
    const beforeCut = stream.produced.length;

    proxy.cut();
    const duringCut = stream.produce(1500, 100, 100);
    expect(await eventually(async () => (await ready()) === 503, 5000)).toBe(true);
    expect((await fetch(`${projector.url}/health`)).status).toBe(200);
    await duringCut;
    await sleep(2000);
    // Nothing applied, and Kafka was not told otherwise: the batches in hand wait to be retried.
    expect(await appliedMessages(query, group, topic)).toBe(beforeCut);
    expect(await kafkaCommitted()).toBeLessThanOrEqual(beforeCut);
    expect(await ready()).toBe(503);

    proxy.restore();
    await stream.produce(500);
    expect(await caughtUp(query, group, stream, 30_000)).toBe(true);
    expect(await eventually(async () => (await ready()) === 200)).toBe(true);
    expect(await readAggregates(query)).toEqual(expectedAggregates(stream.produced));
  }, 60_000);

  it('gets over connections that hang without closing (a partition), once new ones work again', async () => {
    await stream.produce(300);
    expect(await caughtUp(query, group, stream, 20_000)).toBe(true);

    proxy.stall();
    await stream.produce(500);
    await sleep(3000);
    // New connections work again; the ones open during the stall stay black-holed, and it is the
    // client-side query timeout that lets the projector give them up instead of waiting on TCP.
    proxy.restore();
    expect(await caughtUp(query, group, stream, 40_000)).toBe(true);
    expect(await eventually(async () => (await ready()) === 200, 10_000)).toBe(true);
    expect(await readAggregates(query)).toEqual(expectedAggregates(stream.produced));
  }, 70_000);
});
