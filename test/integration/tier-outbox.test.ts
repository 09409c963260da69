import { decodeAccessEventV1 } from '@metergate/contracts';
import { createServer } from 'node:net';
import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, uniqueName } from '../support/test-kafka';
import { application, call, readTopic, startTier, uniqueOrg } from './tier-support';

/** A local port nothing listens on: connecting to it is refused at once, like a Kafka that is down. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Booting apps and waiting on Kafka consumer groups takes seconds, not jest's default 5.
jest.setTimeout(60_000);

// "Kafka down" without stopping the shared broker (other engineers' tests use it): the tier app is
// first pointed at a port where no broker listens, then restarted on the same database against the
// real broker, as a deployment would come back after an outage.
describe('tier outbox: commands committed while Kafka is unavailable', () => {
  let db: TestDatabase;
  let tier: RunningApp | undefined;
  const topic = uniqueName('access.events.v1');

  beforeAll(async () => {
    db = await TestDatabase.create('tier_outbox');
    await createTopic(topic, 3);
  });

  afterAll(async () => {
    await tier?.close();
    await db?.drop();
  });

  const unsent = async () =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM access_outbox WHERE sent_at IS NULL'))[0]
      .n;

  it('answers the command, keeps it in the outbox, and publishes it in order once Kafka is back', async () => {
    const org = uniqueOrg();
    tier = await startTier(db, topic, { KAFKA_BROKERS: `127.0.0.1:${await unusedPort()}` });

    const submitted = await call('POST', `${tier.url}/v1/orgs/${org}/applications`, application());
    expect(submitted.status).toBe(201);
    const approved = await call(
      'POST',
      `${tier.url}/v1/applications/${submitted.body.applicationId}/approve`,
      {
        reviewer: 'rita',
        note: 'approved during the outage',
      },
    );
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', tier: 'production' } });
    expect(
      (await call('PUT', `${tier.url}/v1/orgs/${org}/limits`, { endpoint: 'generate', perDay: 1_000_000 }))
        .status,
    ).toBe(200);

    // Long enough for several relay attempts against the dead address.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await unsent()).toBe(3);
    await tier.close();

    tier = await startTier(db, topic);
    expect(await eventually(async () => (await unsent()) === 0, 20_000)).toBe(true);

    const messages = await readTopic(topic, (seen) => seen.filter((m) => m.key === org).length >= 3);
    const mine = messages.filter((m) => m.key === org).map((m) => decodeAccessEventV1(m.value));
    expect(mine.map((e) => [e.payload.aggregateVersion, e.payload.kind])).toEqual([
      [1, 'FullAccessRequested'],
      [2, 'FullAccessApproved'],
      [3, 'LimitOverrideSet'],
    ]);
    expect(mine[1].payload).toMatchObject({
      actor: 'rita',
      note: 'approved during the outage',
      access: { tier: 'production' },
    });
    expect(mine[2].payload.access).toEqual({
      tier: 'production',
      status: 'active',
      limitOverrides: { generate: { perDay: 1_000_000 } },
      apiKeys: [],
      models: [],
    });
  });

  it('publishes a command committed while Kafka is up within a second', async () => {
    const org = uniqueOrg();
    const started = Date.now();
    expect((await call('POST', `${tier!.url}/v1/orgs/${org}/suspend`, { reason: 'spam' })).status).toBe(200);
    const messages = await readTopic(topic, (seen) => seen.some((m) => m.key === org));
    expect(
      messages.filter((m) => m.key === org).map((m) => decodeAccessEventV1(m.value).payload.kind),
    ).toEqual(['OrganizationSuspended']);
    const [{ sent_at }] = await db.query<{ sent_at: Date }>(
      'SELECT o.sent_at FROM access_outbox o WHERE o.org_id = $1',
      [org],
    );
    expect(sent_at.getTime() - started).toBeLessThan(1000);
  });
});
