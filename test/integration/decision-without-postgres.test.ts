import { migrate } from '@metergate/database';
import { OwnPostgres } from '../support/own-postgres';
import { uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack } from './decision-harness';

/**
 * Issue 11: no check waits on PostgreSQL. The decision app runs on a PostgreSQL cluster of this test's
 * own, which is frozen once the app has loaded its snapshot: organizations it knows are answered from
 * memory, one it has never seen at once, as the default tier with nothing used. Frozen rather than
 * stopped, so that a check which queried it would hang for the pool's timeouts instead of failing fast.
 */
describe('decisions with PostgreSQL frozen', () => {
  let postgres: OwnPostgres;
  let stack: DecisionStack;
  let app: DecisionApp;
  const known = uniqueName('known').replace(/\./g, '_');

  beforeAll(async () => {
    postgres = await OwnPostgres.create();
    const url = postgres.url('metergate');
    await migrate(url);
    await postgres.query(
      'metergate',
      `INSERT INTO org_access (org_id, tier, status, limit_overrides, version, updated_at)
       VALUES ($1, 'production', 'active', '{}', 2, now())`,
      [known],
    );
    stack = await DecisionStack.create();
    app = await stack.boot({ DATABASE_URL: url });
  }, 120_000);

  afterAll(async () => {
    await postgres?.thaw();
    await stack?.close();
    await postgres?.destroy();
  }, 30_000);

  it('answers known and unknown organizations at once from memory', async () => {
    await postgres.freeze();
    const timed = async (body: Record<string, unknown>) => {
      const started = performance.now();
      const answer = await app.check(body);
      return { ...answer, ms: performance.now() - started };
    };
    const unknown = await timed({
      orgId: uniqueName('never-seen').replace(/\./g, '_'),
      endpoint: 'generate',
    });
    expect(unknown.body).toMatchObject({ allowed: true, tier: 'trial' });
    expect(unknown.body.limits.find((l) => l.name === 'generate_chars')).toMatchObject({
      remaining: 500_000,
    });
    const knownAnswer = await timed({ orgId: known, endpoint: 'generate', model: 'large' });
    expect(knownAnswer.body).toMatchObject({ allowed: true, tier: 'production' });
    // Not a speed figure: a check that touched PostgreSQL would wait at least the 3 s connection timeout
    // (a new connection) or the 12 s query timeout (an open one) of the pool (dataSourceOptions).
    expect(Math.max(unknown.ms, knownAnswer.ms)).toBeLessThan(3000);
  });
});
