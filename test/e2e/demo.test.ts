import { DemoSummary, runDemo } from '../../scripts/demo/demo';
import { StackClient } from '../../scripts/demo/stack-client';
import { AppProcess, freePort } from '../support/app-process';
import { TestDatabase } from '../support/test-database';
import { eventually, uniqueName } from '../support/test-kafka';

async function get<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: 'Bearer dev-analyst' } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

// `npm run demo` against the four built apps, as a newcomer runs it after `npm start`: a short run.
describe('the demo', () => {
  let db: TestDatabase;
  let apps: Record<'ingest' | 'projector' | 'decision' | 'tier', AppProcess>;
  let client: StackClient;
  let summary: DemoSummary;

  beforeAll(async () => {
    db = await TestDatabase.create('demo');
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      KAFKA_TOPIC_PARTITIONS: '3',
      USAGE_TOPIC: uniqueName('usage.recorded.v1'),
      CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
      ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
      DENIALS_TOPIC: uniqueName('decision.denials.v1'),
      PROJECTOR_GROUP_ID: uniqueName('projector'),
      DECISION_GROUP_PREFIX: uniqueName('decision'),
    };
    const [ingest, projector, decision, tier, grpc] = await Promise.all(
      [1, 2, 3, 4, 5].map(() => freePort()),
    );
    apps = {
      ingest: new AppProcess('ingest', ingest, { ...env, INGEST_HTTP_PORT: String(ingest) }),
      projector: new AppProcess('projector', projector, { ...env, PROJECTOR_HTTP_PORT: String(projector) }),
      decision: new AppProcess('decision', decision, {
        ...env,
        DECISION_HTTP_PORT: String(decision),
        DECISION_GRPC_PORT: String(grpc),
      }),
      tier: new AppProcess('tier', tier, { ...env, TIER_HTTP_PORT: String(tier) }),
    };
    client = new StackClient(
      {
        ingest: apps.ingest.url,
        decision: apps.decision.url,
        tier: apps.tier.url,
        projector: apps.projector.url,
      },
      { service: 'dev-service', admin: 'dev-admin' },
    );
    Object.values(apps).forEach((app) => app.start());
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(apps ?? {}).map((app) => app.stop('SIGKILL')));
    await db?.drop();
  });

  it('names the apps that are not ready', async () => {
    const notReady = await client.notReady();
    expect(notReady.map((n) => n.app).sort()).toEqual(['decision', 'ingest', 'projector', 'tier']);
  });

  it('runs organizations of every kind through the public APIs', async () => {
    await Promise.all(Object.values(apps).map((app) => app.waitReady()));
    expect(await client.notReady()).toEqual([]);
    summary = await runDemo(
      { minutes: 1, orgs: 12, intensity: 1, seed: 7, tag: 'test' },
      client,
      () => undefined,
    );

    const o = summary.organizations;
    expect(o.production.length).toBeGreaterThanOrEqual(3);
    for (const profile of ['bursty', 'heavy', 'applicant', 'rejected', 'suspended'] as const) {
      expect(o[profile].length).toBeGreaterThanOrEqual(1);
    }
    expect(summary.applications).toEqual({
      approved: o.production.length,
      rejected: o.rejected.length,
      pending: o.applicant.length,
    });
    expect(summary.decisions.failed).toBe(0);
    expect(summary.usage).toMatchObject({ events: summary.decisions.allowed, failed: 0 });
    expect(summary.deniedOrgs).toMatchObject({
      rate_limited: expect.arrayContaining(o.bursty),
      quota_exhausted: expect.arrayContaining(o.heavy),
      suspended: o.suspended,
    });
  }, 150_000);

  it('leaves what the tier API shows: approved organizations, applications to review, quotas used up', async () => {
    const pending = await get<{ applications: { orgId: string }[] }>(`${apps.tier.url}/v1/applications`);
    expect(pending.applications.map((a) => a.orgId)).toEqual(
      expect.arrayContaining(summary.organizations.applicant),
    );
    for (const orgId of summary.organizations.production) {
      expect(await get(`${apps.tier.url}/v1/orgs/${orgId}`)).toMatchObject({
        tier: 'production',
        status: 'active',
      });
    }
    const [heavy] = summary.organizations.heavy;
    const quota = await eventually(async () => {
      const answer = await get<{ quotas: { exhausted: boolean }[] }>(
        `${apps.tier.url}/v1/orgs/${heavy}/quota`,
      );
      return answer.quotas.some((q) => q.exhausted) ? answer : undefined;
    });
    expect(quota).toBeDefined();
  }, 30_000);
});
