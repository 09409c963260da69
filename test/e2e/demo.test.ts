import { DemoSummary, runDemo } from '../../scripts/demo/demo';
import { StackClient } from '../../scripts/demo/stack-client';
import { AppProcess } from '../support/app-process';
import { builtApps, isolatedStackEnv } from '../support/built-stack';
import { TestDatabase } from '../support/test-database';
import { eventually } from '../support/test-kafka';

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
    apps = await builtApps(['ingest', 'projector', 'decision', 'tier'], isolatedStackEnv(db));
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
