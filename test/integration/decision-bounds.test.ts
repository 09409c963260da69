import { DecisionApp, DecisionStack, post } from './decision-harness';

/**
 * Issue 10, finding 9: every structure of the decision app has a bound and a metric. A caller inventing
 * organizations and request ids by the thousands meets the bounds, and the replica goes on answering.
 */
describe('a decision replica at its bounds', () => {
  let stack: DecisionStack;
  let app: DecisionApp;
  const metric = async (name: string) => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
  };

  beforeAll(async () => {
    stack = await DecisionStack.create();
    app = await stack.boot({ DECISION_MAX_ORGS: '1000', DECISION_ID_CAPACITY: '10000' });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('holds no more organizations and ids than it may, says so, and still answers', async () => {
    const send = async (check: (batch: number, i: number) => Record<string, unknown>, batches: number) => {
      for (let batch = 0; batch < batches; batch += 1) {
        const checks = Array.from({ length: 1000 }, (_, i) => check(batch, i));
        expect((await post(`${app.url}/v1/decisions/batch`, { checks })).status).toBe(200);
      }
    };
    // More organizations than it may hold, then more request ids (of organizations it holds).
    await send((batch, i) => ({ orgId: `invented_${batch}_${i}`, endpoint: 'embed' }), 2);
    await send(
      (batch, i) => ({ orgId: `invented_0_${i % 100}`, endpoint: 'embed', requestId: `r-${batch}-${i}` }),
      12,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await metric('decision_orgs_in_memory')).toBeLessThanOrEqual(1000);
    expect(await metric('decision_orgs_untracked')).toBeGreaterThan(0);
    expect(await metric('decision_ids_in_memory')).toBeLessThanOrEqual(await metric('decision_ids_capacity'));
    expect(await metric('decision_ids_dropped_early')).toBeGreaterThan(0);
    expect(await metric('decision_id_memory_horizon_seconds')).toBeLessThan(60);
    for (const name of [
      'decision_reservations_open',
      'decision_uncertain_facts',
      'decision_admissions_unpublished',
      'decision_denial_counts_pending',
    ]) {
      expect(Number.isFinite(await metric(name))).toBe(true);
    }
    expect((await app.check({ orgId: 'one_more', endpoint: 'embed' })).body.allowed).toBe(true);
  }, 60_000);
});
