import { Client } from 'pg';
import { metricSum } from '../support/metrics';
import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionStack } from './decision-harness';

const ORGS = 1_000_000;

/**
 * Issue 11: the decision app loads the whole projection at start. A million organizations are written
 * straight into the tables (as a projector would have left them); a replica started on them reaches
 * ready and answers from what it loaded, and one it does not know is the default tier with nothing used.
 */
describe('a decision app started on a million organizations', () => {
  let stack: DecisionStack;
  const prefix = uniqueName('big').replace(/\./g, '_');
  const orgId = (i: number) => `${prefix}_${i}`;

  beforeAll(async () => {
    stack = await DecisionStack.create();
    await Promise.all([
      stack.db.query(
        `INSERT INTO org_access (org_id, tier, status, limit_overrides, version, updated_at)
         SELECT $1 || '_' || i, CASE WHEN i % 10 = 0 THEN 'production' ELSE 'trial' END,
                CASE WHEN i % 100 = 7 THEN 'suspended' ELSE 'active' END, '{}', 1, now()
         FROM generate_series(1, $2::int) AS i`,
        [prefix, ORGS],
      ),
      stack.db.query(
        `INSERT INTO usage_lifetime (org_id, endpoint, calls, input_chars, output_chars)
         SELECT $1 || '_' || i, 'generate', 1, i % 500000, 0 FROM generate_series(1, $2::int) AS i`,
        [prefix, ORGS],
      ),
    ]);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  }, 60_000);

  it('reaches ready and answers every organization from the snapshot', async () => {
    const started = Date.now();
    const app = await stack.boot({}, false);
    expect(await eventually(async () => !app.model.isStale(Date.now()), 90_000, 100)).toBe(true);
    console.log(`ready with ${app.model.size} organizations after ${Date.now() - started} ms`);
    expect(app.model.size).toBeGreaterThanOrEqual(ORGS);
    expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);

    const quota = async (i: number) => {
      const { body } = await app.check({ orgId: orgId(i), endpoint: 'generate', hits: 0 });
      return { body, quota: body.limits.find((l) => l.name === 'generate_chars') };
    };
    expect((await quota(123_451)).quota).toMatchObject({ limit: 500_000, remaining: 500_000 - 123_451 });
    expect((await quota(499_999)).quota).toMatchObject({ remaining: 1 });
    expect((await quota(500_000)).body).toMatchObject({ tier: 'production', allowed: true });
    expect((await quota(7)).body).toMatchObject({ allowed: false, reason: 'suspended' });
    expect((await quota(1_000_000 + 1)).quota).toMatchObject({ remaining: 500_000 });
  }, 120_000);
});

/**
 * The snapshot's statements are bound by DECISION_SNAPSHOT_TIMEOUT_MS, not by the bounds every other
 * statement gets (10 s on the server, 12 s on the client): a load of a large projection on a busy host
 * outlasts those, and one cut short starts over, so it would never finish. Here a table the snapshot
 * reads stays locked for 14 s.
 */
describe('a decision app whose snapshot takes longer than other statements may', () => {
  let stack: DecisionStack;

  beforeAll(async () => {
    stack = await DecisionStack.create();
  });

  afterAll(async () => {
    await stack?.close();
  }, 60_000);

  it('waits it out in one load rather than being cancelled and starting over', async () => {
    const locker = new Client({ connectionString: stack.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE usage_lifetime IN ACCESS EXCLUSIVE MODE');
      const app = await stack.boot({}, false);
      await new Promise((resolve) => setTimeout(resolve, 14_000));
      await locker.query('COMMIT');
      expect(await eventually(async () => !app.model.isStale(Date.now()), 30_000, 100)).toBe(true);
      // The one load that succeeded waited for the lock: a retry after a cancellation would be short.
      expect(await metricSum(app.url, 'decision_snapshot_load_seconds')).toBeGreaterThanOrEqual(13);
    } finally {
      await locker.end();
    }
  }, 60_000);
});
