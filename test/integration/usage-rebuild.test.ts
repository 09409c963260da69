import { CALL_ADMITTED, CallAdmittedV1 } from '@metergate/contracts';
import { loadConfig } from '@metergate/platform';
import { IngestConfig } from '../../apps/ingest/src/ingest.config';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { rebuildProjections } from '../../apps/projector/src/rebuild/rebuild-projections';
import { RunningApp, postJson, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { eventually, testKafka, uniqueName } from '../support/test-kafka';

const tables = {
  usage_by_second: 'org_id, endpoint, bucket',
  usage_by_minute: 'org_id, endpoint, bucket',
  usage_by_hour: 'org_id, bucket, endpoint, user_id, model',
  usage_by_day: 'org_id, bucket, endpoint, user_id, model',
  usage_lifetime: 'org_id, endpoint',
  org_access: 'org_id',
  dead_letters: 'consumer_group, topic, partition, "offset"',
};
// A dead letter's times and id are those of the projection that set it aside, not of the record.
const when = new Set(['first_failed_at', 'set_aside_at', 'id']);
const withoutTimes = (table: string, rows: Record<string, unknown>[]) =>
  table !== 'dead_letters'
    ? rows
    : rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !when.has(k))));

const accessEvent = (orgId: string, version: number, tier: string, status = 'active') => {
  const at = new Date(Date.now() - (10 - version) * 1000).toISOString();
  return {
    type: 'access.event',
    version: 1,
    id: `${orgId}-${version}`,
    occurredAt: at,
    recordedAt: at,
    payload: {
      kind: 'TierChanged',
      orgId,
      aggregateVersion: version,
      actor: 'admin',
      from: 'trial',
      to: tier,
      reason: 'rebuild test',
      access: { tier, status, limitOverrides: version > 1 ? { generate: { perDay: 10 } } : {} },
    },
  };
};

describe('rebuilding the usage projections from the topics', () => {
  let live: TestDatabase;
  let rebuilt: TestDatabase | undefined;
  let ingest: RunningApp;
  let projector: RunningApp;
  let config: ProjectorConfig;

  beforeAll(async () => {
    live = await TestDatabase.create('rebuild_live');
    const env = testEnv({
      DATABASE_URL: live.url,
      USAGE_TOPIC: uniqueName('usage.recorded.v1'),
      CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
      // The projector's other topics too: what other test files leave on shared ones would reach its offsets.
      ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
      DENIALS_TOPIC: uniqueName('decision.denials.v1'),
      PROJECTOR_GROUP_ID: uniqueName('projector'),
    });
    config = loadConfig(ProjectorConfig, env);
    ingest = await startApp('ingest', IngestModule.create(loadConfig(IngestConfig, env)));
    projector = await startApp('projector', ProjectorModule.create(config));
  });

  afterAll(async () => {
    await projector?.close();
    await ingest?.close();
    await live?.drop();
    await rebuilt?.drop();
  });

  it('gives the live projection row for row: duplicates, admissions, access and dead letters included', async () => {
    const orgs = ['acme', 'globex', 'initech'].map((o) => uniqueName(o).replace(/\./g, '-'));
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    let expectedCalls = 0;
    for (let batch = 0; batch < 6; batch++) {
      const events = Array.from({ length: 50 }, (_, i) => {
        const org = orgs[i % orgs.length];
        return {
          id: `b${batch % 4}-e${i}`, // batches 4 and 5 repeat the ids of 0 and 1: retries
          orgId: org,
          userId: `user${i % 4}`,
          endpoint: ['generate', 'embed', 'classify'][i % 3],
          model: i % 2 ? 'small' : 'medium',
          inputChars: i * 10,
          outputChars: i,
          timestamp: at((batch * 37 + i) % 1500),
        };
      });
      if (batch < 4) expectedCalls += events.length;
      expect((await postJson(`${ingest.url}/v1/usage`, { events })).status).toBe(202);
    }
    const producer = testKafka().producer();
    await producer.connect();
    const admissions: CallAdmittedV1[] = orgs.map((org, i) => ({
      type: CALL_ADMITTED,
      version: 1,
      id: i === 0 ? 'b0-e0' : `admitted-${i}`, // the first shares its id with a usage event: one call
      occurredAt: at(1),
      recordedAt: at(1),
      payload: { orgId: org, endpoint: 'generate', hits: 1 },
    }));
    await producer.send({
      topic: config.CALLS_ADMITTED_TOPIC,
      messages: admissions.map((a) => ({ key: a.payload.orgId, value: JSON.stringify(a) })),
    });
    // Production organizations must come back as production; one also changed twice, one is unreadable.
    const access = [
      accessEvent(orgs[0], 1, 'production'),
      accessEvent(orgs[1], 1, 'production'),
      accessEvent(orgs[1], 2, 'production', 'suspended'),
    ];
    await producer.send({
      topic: config.ACCESS_EVENTS_TOPIC,
      messages: [
        ...access.map((a) => ({ key: a.payload.orgId, value: JSON.stringify(a) })),
        { key: orgs[2], value: '{"type":"access.event","version":7}' },
      ],
    });
    await producer.disconnect();
    expectedCalls += admissions.length - 1;

    const totalCalls = async (db: TestDatabase) =>
      Number(
        (await db.query<{ calls: string }>('SELECT coalesce(sum(calls), 0) AS calls FROM usage_lifetime'))[0]
          .calls,
      );
    expect(await eventually(async () => (await totalCalls(live)) === expectedCalls)).toBe(true);
    // The live projector has caught up with every message, not just every call: wait for its offsets.
    const offsets = (db: TestDatabase) =>
      db.query(
        'SELECT consumer_group, topic, partition, next_offset, cluster_id FROM consumer_offsets ORDER BY topic, partition',
      );
    const admin = testKafka().admin();
    await admin.connect();
    const ends = (
      await Promise.all(
        [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC, config.ACCESS_EVENTS_TOPIC].map((t) =>
          admin.fetchTopicOffsets(t),
        ),
      )
    ).flat();
    await admin.disconnect();
    const endTotal = ends.reduce((sum, p) => sum + Number(p.high), 0);
    await eventually(async () => {
      const rows = await offsets(live);
      return rows.reduce((sum, r) => sum + Number(r.next_offset), 0) === endTotal;
    });

    rebuilt = await TestDatabase.create('rebuild_fresh');
    const result = await rebuildProjections(config, rebuilt.url);
    expect(
      result.messages[config.USAGE_TOPIC] +
        result.messages[config.CALLS_ADMITTED_TOPIC] +
        result.messages[config.ACCESS_EVENTS_TOPIC],
    ).toBe(endTotal);

    for (const [table, key] of Object.entries(tables)) {
      const sql = `SELECT * FROM ${table} ORDER BY ${key}`;
      const [fresh, was] = [
        withoutTimes(table, await rebuilt.query(sql)),
        withoutTimes(table, await live.query(sql)),
      ];
      expect({ table, rows: fresh }).toEqual({ table, rows: was });
    }
    expect(await rebuilt.query('SELECT org_id, tier, status FROM org_access ORDER BY org_id')).toEqual([
      { org_id: orgs[0], tier: 'production', status: 'active' },
      { org_id: orgs[1], tier: 'production', status: 'suspended' },
    ]);
    expect(await rebuilt.query('SELECT count(*)::int AS n FROM dead_letters')).toEqual([{ n: 1 }]);
    const marks =
      'SELECT org_id, event_id, has_usage, has_admission FROM processed_events ORDER BY org_id, event_id';
    expect(await rebuilt.query(marks)).toEqual(await live.query(marks));
    expect(await offsets(rebuilt)).toEqual(await offsets(live));
    expect(await totalCalls(rebuilt)).toBe(expectedCalls);
  });

  it('refuses to rebuild into a database that already holds a projection', async () => {
    await expect(rebuildProjections(config, live.url)).rejects.toThrow(/fresh one/);
  });

  it('refuses to rebuild from topics whose first records were deleted: the totals would come back low', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const [first] = (await admin.fetchTopicOffsets(config.USAGE_TOPIC)).filter((p) => Number(p.high) > 0);
    await admin.deleteTopicRecords({
      topic: config.USAGE_TOPIC,
      partitions: [{ partition: first.partition, offset: '1' }],
    });
    await admin.disconnect();
    const again = await TestDatabase.create('rebuild_truncated');
    try {
      await expect(rebuildProjections(config, again.url)).rejects.toThrow(
        `${config.USAGE_TOPIC}[${first.partition}] starts at 1`,
      );
    } finally {
      await again.drop();
    }
  });
});
