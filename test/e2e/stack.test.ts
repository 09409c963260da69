import { AppProcess } from '../support/app-process';
import { builtApps, isolatedStackEnv } from '../support/built-stack';
import { postJson } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { eventually, uniqueName } from '../support/test-kafka';

// The four built apps as separate processes, wired as `npm start` wires them (own database and topics).
describe('the whole stack', () => {
  let db: TestDatabase;
  let apps: Record<'ingest' | 'projector' | 'decision' | 'tier', AppProcess>;

  beforeAll(async () => {
    db = await TestDatabase.create('stack');
    apps = await builtApps(['ingest', 'projector', 'decision', 'tier'], isolatedStackEnv(db));
    Object.values(apps).forEach((app) => app.start());
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(apps ?? {}).map((app) => app.stop('SIGKILL')));
    await db?.drop();
  });

  it('answers 200 on /health/ready of every app', async () => {
    await Promise.all(Object.values(apps).map((app) => app.waitReady()));
    for (const app of Object.values(apps)) {
      expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
    }
  }, 120_000);

  it('suspends generate once the trial quota is used, and approval of full access reinstates it', async () => {
    const org = uniqueName('org').replace(/\./g, '-');
    const decide = async () =>
      (await postJson(`${apps.decision.url}/v1/decisions`, { orgId: org, endpoint: 'generate', hits: 0 }))
        .body as {
        allowed: boolean;
        reason: string | null;
        tier: string;
      };
    expect(await decide()).toMatchObject({ allowed: true, tier: 'trial' });

    // Two users of one organization share the 500,000-character trial quota.
    const now = new Date().toISOString();
    const usage = [
      {
        id: 'u1',
        orgId: org,
        userId: 'alice',
        endpoint: 'generate',
        inputChars: 200_000,
        outputChars: 50_000,
        timestamp: now,
      },
      {
        id: 'u2',
        orgId: org,
        userId: 'bob',
        endpoint: 'generate',
        inputChars: 150_000,
        outputChars: 100_000,
        timestamp: now,
      },
    ];
    expect((await postJson(`${apps.ingest.url}/v1/usage`, { events: usage })).status).toBe(202);
    const exhausted = await eventually(async () => {
      const answer = await decide();
      return answer.reason === 'quota_exhausted' ? answer : undefined;
    });
    expect(exhausted).toMatchObject({ allowed: false, reason: 'quota_exhausted', tier: 'trial' });

    const submitted = await postJson(`${apps.tier.url}/v1/orgs/${org}/applications`, {
      useCase: 'Support assistant',
      intendedUse: 'Drafting answers to customer tickets',
      risks: 'Wrong answers reach customers; a human reviews each draft',
      commitment: true,
      submittedBy: 'alice@example.com',
    });
    expect(submitted).toMatchObject({ status: 201, body: { status: 'pending' } });
    const { applicationId } = submitted.body as { applicationId: string };
    const approved = await postJson(`${apps.tier.url}/v1/applications/${applicationId}/approve`, {
      reviewer: 'rita',
    });
    expect(approved.status).toBe(200);

    const reinstated = await eventually(async () => {
      const answer = await decide();
      return answer.allowed ? answer : undefined;
    }, 5_000);
    expect(reinstated).toMatchObject({ allowed: true, reason: null, tier: 'production' });
  }, 60_000);

  it('stops every app gracefully on SIGTERM, within its shutdown deadline', async () => {
    const exits = await Promise.all(Object.values(apps).map((app) => app.stop('SIGTERM', 15_000)));
    // Exit code 1 would be the shutdown deadline firing; SIGKILL, this test's own deadline.
    expect(exits).toEqual(Object.values(apps).map(() => ({ code: null, signal: 'SIGTERM' })));
  }, 30_000);
});
