import { randomUUID } from 'node:crypto';
import { CALL_ADMITTED, CallAdmittedV1, CallAdmittedV2, UsageLimits } from '@metergate/contracts';
import { loadConfig } from '@metergate/platform';
import { IngestConfig } from '../../apps/ingest/src/ingest.config';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { RunningApp, postJson, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { eventually, testKafka, uniqueName } from '../support/test-kafka';

// Ingest and projector booted as in production, against the real broker and PostgreSQL.
describe('usage pipeline: POST /v1/usage -> Kafka -> projector -> PostgreSQL', () => {
  let db: TestDatabase;
  let ingest: RunningApp;
  let projector: RunningApp;
  const usageTopic = uniqueName('usage.recorded.v1');
  const admittedTopic = uniqueName('decision.admitted.v1');
  const now = () => new Date().toISOString();

  beforeAll(async () => {
    db = await TestDatabase.create('pipeline');
    const env = testEnv({
      DATABASE_URL: db.url,
      USAGE_TOPIC: usageTopic,
      CALLS_ADMITTED_TOPIC: admittedTopic,
    });
    ingest = await startApp(
      'ingest',
      IngestModule.create(loadConfig(IngestConfig, env)),
      UsageLimits.maxBodyBytes,
    );
    projector = await startApp(
      'projector',
      ProjectorModule.create(
        loadConfig(ProjectorConfig, { ...env, PROJECTOR_GROUP_ID: uniqueName('projector') }),
      ),
    );
  });

  afterAll(async () => {
    await projector?.close();
    await ingest?.close();
    await db?.drop();
  });

  const event = (id: string, orgId: string, extra: Record<string, unknown> = {}) => ({
    id,
    orgId,
    endpoint: 'generate',
    inputChars: 100,
    outputChars: 50,
    timestamp: now(),
    ...extra,
  });

  const lifetime = async (orgId: string) =>
    (
      await db.query<{ endpoint: string; calls: string; input_chars: string; output_chars: string }>(
        'SELECT endpoint, calls, input_chars, output_chars FROM usage_lifetime WHERE org_id = $1 ORDER BY endpoint',
        [orgId],
      )
    ).map((r) => ({
      endpoint: r.endpoint,
      calls: Number(r.calls),
      input: Number(r.input_chars),
      output: Number(r.output_chars),
    }));

  const topicSize = async (topic: string) => {
    const admin = testKafka().admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  };

  it('answers 202 once Kafka has the batch, and the projector sums it per org across users', async () => {
    const org = uniqueName('org').replace(/\./g, '-');
    const response = await postJson(`${ingest.url}/v1/usage`, {
      events: [
        event('c1', org, { userId: 'alice', model: 'small' }),
        event('c2', org, { userId: 'bob', model: 'medium' }),
        event('c3', org, { endpoint: 'embed', inputChars: 7, outputChars: 0 }),
      ],
    });
    expect(response).toMatchObject({ status: 202, body: { accepted: 3 } });

    const totals = await eventually(async () => {
      const rows = await lifetime(org);
      return rows.length === 2 ? rows : undefined;
    });
    expect(totals).toEqual([
      { endpoint: 'embed', calls: 1, input: 7, output: 0 },
      { endpoint: 'generate', calls: 2, input: 200, output: 100 },
    ]);
    const [second] = await db.query<{ calls: string }>(
      `SELECT sum(calls) AS calls FROM usage_by_second WHERE org_id = $1 AND endpoint = 'generate'`,
      [org],
    );
    expect(Number(second.calls)).toBe(2);
    const hourly = await db.query<{ user_id: string; model: string; calls: string }>(
      `SELECT user_id, model, calls FROM usage_by_hour WHERE org_id = $1 AND endpoint = 'generate' ORDER BY user_id`,
      [org],
    );
    expect(hourly.map((r) => [r.user_id, r.model, Number(r.calls)])).toEqual([
      ['alice', 'small', 1],
      ['bob', 'medium', 1],
    ]);
  });

  it('counts a batch posted three times once', async () => {
    const org = uniqueName('org').replace(/\./g, '-');
    const batch = { events: [event('r1', org), event('r2', org), event('r3', org)] };
    for (let i = 0; i < 3; i++) expect((await postJson(`${ingest.url}/v1/usage`, batch)).status).toBe(202);
    const marker = { events: [event('marker', org, { endpoint: 'classify' })] };
    expect((await postJson(`${ingest.url}/v1/usage`, marker)).status).toBe(202);

    // The marker was posted last: once it is counted, the three copies before it have been applied.
    await eventually(async () => (await lifetime(org)).some((r) => r.endpoint === 'classify'));
    expect(await lifetime(org)).toEqual([
      { endpoint: 'classify', calls: 1, input: 100, output: 50 },
      { endpoint: 'generate', calls: 3, input: 300, output: 150 },
    ]);
  });

  it('rejects a batch with one bad event whole, naming each bad event by index and field', async () => {
    const org = uniqueName('org').replace(/\./g, '-');
    const before = await topicSize(usageTopic);
    const response = await postJson(`${ingest.url}/v1/usage`, {
      events: [
        event('ok1', org),
        event('bad1', org, { inputChars: -1 }),
        event('bad2', org, { endpoint: 'teleport' }),
      ],
    });
    expect(response.status).toBe(400);
    const problems = (response.body as { problems: { index: number; field: string }[] }).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, field: 'events[1].inputChars' }),
        expect.objectContaining({ index: 2, field: 'events[2].endpoint' }),
      ]),
    );
    expect(await topicSize(usageTopic)).toBe(before);
  });

  it.each([
    ['an empty batch', { events: [] }],
    ['more than 1000 events', { events: Array.from({ length: 1001 }, (_, i) => event(`e${i}`, 'org')) }],
    ['an unknown top-level field', { events: [event('x', 'org')], extra: true }],
    [
      'a timestamp 8 days old',
      { events: [event('x', 'org', { timestamp: new Date(Date.now() - 8 * 86400_000).toISOString() })] },
    ],
    [
      'a timestamp 10 minutes ahead',
      { events: [event('x', 'org', { timestamp: new Date(Date.now() + 600_000).toISOString() })] },
    ],
    ['a fractional character count', { events: [event('x', 'org', { outputChars: 1.5 })] }],
    ['an id of 129 characters', { events: [event('x'.repeat(129), 'org')] }],
    ['an orgId with a space', { events: [event('x', 'my org')] }],
  ])('answers 400 to %s', async (_name, body) => {
    expect((await postJson(`${ingest.url}/v1/usage`, body)).status).toBe(400);
  });

  it('answers 400 to malformed JSON and 413 to a body over 1 MiB', async () => {
    expect((await postJson(`${ingest.url}/v1/usage`, '{"events": [')).status).toBe(400);
    const huge = JSON.stringify({ events: [event('x', 'org', { model: 'm'.repeat(1024 * 1024) })] });
    expect((await postJson(`${ingest.url}/v1/usage`, huge)).status).toBe(413);
  });

  it("counts a call once when the decision API's admission and the usage event share its id", async () => {
    const org = uniqueName('org').replace(/\./g, '-');
    const admission: CallAdmittedV1 = {
      type: CALL_ADMITTED,
      version: 1,
      id: 'req-1',
      occurredAt: now(),
      recordedAt: now(),
      payload: { orgId: org, endpoint: 'generate', hits: 1 },
    };
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: admittedTopic, messages: [{ key: org, value: JSON.stringify(admission) }] });
    await producer.disconnect();
    await eventually(async () => (await lifetime(org)).length === 1);
    expect(await lifetime(org)).toEqual([{ endpoint: 'generate', calls: 1, input: 0, output: 0 }]);

    expect((await postJson(`${ingest.url}/v1/usage`, { events: [event('req-1', org)] })).status).toBe(202);
    await eventually(async () => (await lifetime(org))[0]?.input === 100);
    expect(await lifetime(org)).toEqual([{ endpoint: 'generate', calls: 1, input: 100, output: 50 }]);
  });

  it('counts each call of a v2 admissions record once, sent twice and sharing an id with a usage event', async () => {
    const org = uniqueName('org').replace(/\./g, '-');
    // A retried flush sends the same admissions again in a record of its own id.
    const record = (): CallAdmittedV2 => ({
      type: CALL_ADMITTED,
      version: 2,
      id: randomUUID(),
      occurredAt: now(),
      recordedAt: now(),
      payload: {
        admissions: [
          { id: 'v2-a', occurredAt: now(), orgId: org, endpoint: 'generate', hits: 1 },
          { id: 'v2-b', occurredAt: now(), orgId: org, endpoint: 'generate', hits: 2 },
          { id: 'v2-c', occurredAt: now(), orgId: org, endpoint: 'generate', hits: 1 },
        ],
      },
    });
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: admittedTopic,
      messages: [record(), record()].map((r) => ({ key: org, value: JSON.stringify(r) })),
    });
    await producer.disconnect();
    await eventually(async () => (await lifetime(org)).length === 1);
    expect((await postJson(`${ingest.url}/v1/usage`, { events: [event('v2-c', org)] })).status).toBe(202);
    await eventually(async () => (await lifetime(org))[0]?.input === 100);
    expect(await lifetime(org)).toEqual([{ endpoint: 'generate', calls: 4, input: 100, output: 50 }]);
  });

  it('steps over a message it cannot read and keeps counting after it', async () => {
    const org = uniqueName('org').replace(/\./g, '-');
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: usageTopic,
      messages: [{ key: org, value: '{"type":"usage.recorded","version":99}' }],
    });
    await producer.disconnect();
    expect((await postJson(`${ingest.url}/v1/usage`, { events: [event('after-poison', org)] })).status).toBe(
      202,
    );
    await eventually(async () => (await lifetime(org)).length === 1);
    expect(await lifetime(org)).toEqual([{ endpoint: 'generate', calls: 1, input: 100, output: 50 }]);
  });
});

describe('ingest with Kafka unreachable', () => {
  let db: TestDatabase;
  let ingest: RunningApp;

  beforeAll(async () => {
    db = await TestDatabase.create('ingest_down');
    // Nothing listens on port 1: every connection is refused, like a broker that is down.
    const env = testEnv({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: '127.0.0.1:1',
      USAGE_TOPIC: uniqueName('usage'),
    });
    ingest = await startApp('ingest', IngestModule.create(loadConfig(IngestConfig, env)));
  });

  afterAll(async () => {
    await ingest?.close();
    await db?.drop();
  });

  it('stays up, reports not ready, and answers 503 with Retry-After', async () => {
    const ready = await fetch(`${ingest.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${ingest.url}/health`)).status).toBe(200);
    const response = await postJson(`${ingest.url}/v1/usage`, {
      events: [
        {
          id: 'x',
          orgId: 'org',
          endpoint: 'embed',
          inputChars: 1,
          outputChars: 1,
          timestamp: new Date().toISOString(),
        },
      ],
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
