import { CALL_ADMITTED, USAGE_RECORDED } from '@metergate/contracts';
import { loadConfig } from '@metergate/platform';
import { Producer } from 'kafkajs';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { metricSamples, metricSum } from '../support/metrics';
import { TcpProxy } from '../support/tcp-proxy';
import { RunningApp, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, testKafka, uniqueName } from '../support/test-kafka';

const at = () => new Date().toISOString();
const usage = (orgId: string, id: string, inputChars = 10) => ({
  type: USAGE_RECORDED,
  version: 1,
  id,
  occurredAt: at(),
  recordedAt: at(),
  payload: { orgId, endpoint: 'generate', inputChars, outputChars: 1 },
});
const admission = (orgId: string, id: string) => ({
  type: CALL_ADMITTED,
  version: 1,
  id,
  occurredAt: at(),
  recordedAt: at(),
  payload: { orgId, endpoint: 'embed', hits: 1 },
});
const tierChanged = (orgId: string, version: number, tier: string) => ({
  type: 'access.event',
  version: 1,
  id: `${orgId}-${version}`,
  occurredAt: at(),
  recordedAt: at(),
  payload: {
    kind: 'TierChanged',
    orgId,
    aggregateVersion: version,
    actor: 'admin',
    from: 'trial',
    to: tier,
    reason: 'test',
    access: { tier, status: 'active', limitOverrides: {} },
  },
});

// Records PostgreSQL refuses, among good ones on every partition, against the real broker and database.
describe('projector facing records it cannot apply', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let projector: RunningApp;
  let producer: Producer;
  const topics = {
    USAGE_TOPIC: uniqueName('usage.recorded.v1'),
    CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
    ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
  };
  const group = uniqueName('projector-poison');
  const orgs = Array.from({ length: 6 }, (_, i) => `org-${i}`);

  beforeAll(async () => {
    db = await TestDatabase.create('projector_poison');
    // PostgreSQL itself refuses these, whatever the decoders accept: a check that one id and one
    // organization violate (SQLSTATE 23514), as a NUL byte in an id was refused (22021).
    await db.query(
      `ALTER TABLE processed_events ADD CONSTRAINT refuse_poison CHECK (event_id NOT LIKE 'poison%')`,
    );
    await db.query(`ALTER TABLE org_access ADD CONSTRAINT refuse_poison CHECK (org_id NOT LIKE 'poison%')`);
    const direct = new URL(db.url);
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    for (const topic of Object.values(topics)) await createTopic(topic, 3);
    producer = testKafka('poison').producer();
    await producer.connect();
    const env = testEnv({ DATABASE_URL: viaProxy.toString(), PROJECTOR_GROUP_ID: group, ...topics });
    projector = await startApp('projector', ProjectorModule.create(loadConfig(ProjectorConfig, env)));
  });

  afterAll(async () => {
    proxy?.restore();
    await projector?.close();
    await producer?.disconnect();
    await proxy?.close();
    await db?.drop();
  });

  const send = async (topic: string, events: { payload: { orgId: string } }[]) => {
    const metadata = await producer.send({
      topic,
      acks: -1,
      messages: events.map((e) => ({ key: e.payload.orgId, value: JSON.stringify(e) })),
    });
    return metadata;
  };
  const ends = async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const all = await Promise.all(Object.values(topics).map((t) => admin.fetchTopicOffsets(t)));
      return all.flat().reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  };
  const applied = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          'SELECT coalesce(sum(next_offset), 0) AS n FROM consumer_offsets WHERE consumer_group LIKE $1',
          [`${group}%`],
        )
      )[0].n,
    );
  const calls = async () =>
    Object.fromEntries(
      (
        await db.query<{ org_id: string; calls: string; input_chars: string }>(
          'SELECT org_id, sum(calls) AS calls, sum(input_chars) AS input_chars FROM usage_lifetime GROUP BY org_id',
        )
      ).map((r) => [r.org_id, { calls: Number(r.calls), inputChars: Number(r.input_chars) }]),
    );
  const deadLetters = (token = 'dev-admin', query = '') =>
    fetch(`${projector.url}/v1/dead-letters${query}`, { headers: { authorization: `Bearer ${token}` } });

  it('sets each refused record aside after its retries, and counts everything else on every partition', async () => {
    // Good events on every partition, with the refused ones in the middle of their partitions' batches.
    const good = orgs.flatMap((org) => Array.from({ length: 40 }, (_, i) => usage(org, `call-${i}`)));
    await send(topics.USAGE_TOPIC, good.slice(0, 120));
    await send(topics.USAGE_TOPIC, [usage('org-1', 'poison-usage', 999), usage('org-2', 'nul\u0000id', 999)]);
    await send(topics.USAGE_TOPIC, good.slice(120));
    await send(topics.CALLS_ADMITTED_TOPIC, [
      admission('org-3', 'poison-admission'),
      admission('org-3', 'fine'),
    ]);
    await send(topics.ACCESS_EVENTS_TOPIC, [
      tierChanged('poison-org', 1, 'production'),
      tierChanged('org-4', 1, 'production'),
    ]);

    expect(await eventually(async () => (await applied()) === (await ends()), 30_000)).toBe(true);
    const counted = await calls();
    for (const org of orgs) {
      expect({ org, ...counted[org] }).toEqual({
        org,
        calls: org === 'org-3' ? 41 : 40,
        inputChars: 400,
      });
    }
    expect(await db.query(`SELECT tier FROM org_access WHERE org_id = 'org-4'`)).toEqual([
      { tier: 'production' },
    ]);

    const letters = await db.query<{
      consumer_group: string;
      topic: string;
      offset: string;
      error_code: string | null;
      record_value: Buffer;
      first_failed_at: Date;
      set_aside_at: Date;
    }>('SELECT * FROM dead_letters ORDER BY topic, "offset"');
    const ids = letters.map((l) => (JSON.parse(l.record_value.toString()) as { id: string }).id).sort();
    expect(ids).toEqual(
      ['nul\u0000id', 'org-4-1'.replace('org-4', 'poison-org'), 'poison-admission', 'poison-usage'].sort(),
    );
    const byId = (id: string) => letters.find((l) => l.record_value.toString().includes(`"${id}"`))!;
    expect(byId('poison-usage')).toMatchObject({
      consumer_group: group,
      topic: topics.USAGE_TOPIC,
      error_code: '23514',
    });
    expect(byId('poison-admission')).toMatchObject({
      topic: topics.CALLS_ADMITTED_TOPIC,
      error_code: '23514',
    });
    expect(byId('poison-org-1')).toMatchObject({ consumer_group: `${group}.access`, error_code: '23514' });
    for (const l of letters)
      expect(l.set_aside_at.getTime()).toBeGreaterThanOrEqual(l.first_failed_at.getTime());

    const refused = await metricSum(projector.url, 'projector_dead_letters_total', { reason: 'refused' });
    const undecodable = await metricSum(projector.url, 'projector_dead_letters_total', {
      reason: 'undecodable',
    });
    expect(refused + undecodable).toBe(4);
    expect(refused).toBeGreaterThanOrEqual(3);

    // Applied once: the offsets moved past them, so nothing is set aside twice when the stream goes on.
    await send(topics.USAGE_TOPIC, [usage('org-5', 'later')]);
    expect(await eventually(async () => (await calls())['org-5']?.calls === 41, 15_000)).toBe(true);
    expect(await db.query('SELECT count(*)::int AS n FROM dead_letters')).toEqual([{ n: 4 }]);
  }, 60_000);

  it('lets admins read the dead letters, a page at a time, and no one else', async () => {
    expect((await deadLetters('dev-analyst')).status).toBe(403);
    expect((await deadLetters('nope-nope-nope')).status).toBe(401);
    expect((await deadLetters('dev-admin', '?limit=0')).status).toBe(400);

    const all = (await (await deadLetters()).json()) as {
      deadLetters: { id: string }[];
      next: string | null;
    };
    expect(all.deadLetters).toHaveLength(4);
    expect(all.next).toBeNull();

    const first = (await (await deadLetters('dev-admin', '?limit=3')).json()) as {
      deadLetters: {
        id: string;
        topic: string;
        partition: number;
        offset: string;
        valueText: string;
        value: string;
        error: string;
      }[];
      next: string;
    };
    expect(first.deadLetters.map((d) => d.id)).toEqual(all.deadLetters.slice(0, 3).map((d) => d.id));
    const second = (await (
      await deadLetters('dev-admin', `?limit=3&after=${first.next}`)
    ).json()) as typeof all;
    expect(second).toEqual({ deadLetters: [all.deadLetters[3]], next: null });

    const letter = first.deadLetters.find((d) => d.valueText?.includes('poison-usage'))!;
    expect(letter).toMatchObject({
      topic: topics.USAGE_TOPIC,
      error: expect.stringContaining('refuse_poison'),
    });
    expect(Buffer.from(letter.value, 'base64').toString()).toBe(letter.valueText);
  });

  it('reports the real lag while it cannot apply anything, and none once it caught up', async () => {
    const lag = () => metricSum(projector.url, 'projector_lag_messages', { topic: topics.USAGE_TOPIC });
    const measured = async () => (await metricSamples(projector.url, 'projector_lag_messages')).length > 0;
    // Measured once with PostgreSQL reachable: the lag is known, and nothing is behind.
    expect(await eventually(async () => (await measured()) && (await lag()) === 0, 20_000)).toBe(true);
    proxy.cut();
    try {
      await send(
        topics.USAGE_TOPIC,
        orgs.flatMap((org) => Array.from({ length: 50 }, (_, i) => usage(org, `stuck-${i}`))),
      );
      expect(await eventually(async () => (await lag()) === 300, 20_000)).toBe(true);
    } finally {
      proxy.restore();
    }
    expect(await eventually(async () => (await lag()) === 0, 30_000)).toBe(true);
    expect((await calls())['org-0'].calls).toBe(90);
  }, 70_000);
});
