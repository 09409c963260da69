import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack } from './decision-harness';

/**
 * Kafka unreachable for the decision app (a broker address nothing listens on): its read model never
 * catches up, so it is stale from the start, while PostgreSQL still serves the snapshot it starts from.
 */
describe('decision API with a stale read model', () => {
  let stack: DecisionStack;
  const org = () => uniqueName('org').replace(/\./g, '_');
  const unreachableKafka = { KAFKA_BROKERS: '127.0.0.1:1', DECISION_STALENESS_THRESHOLD_MS: '200' };

  beforeAll(async () => {
    stack = await DecisionStack.create();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  describe('closed for rate limits and quotas', () => {
    let app: DecisionApp;

    beforeAll(async () => {
      app = await stack.boot(
        { ...unreachableKafka, DECISION_STALE_RATE_POLICY: 'closed', DECISION_STALE_QUOTA_POLICY: 'closed' },
        false,
      );
    }, 30_000);

    afterAll(async () => {
      await app?.close();
    }, 30_000);

    it('refuses calls under a rate limit or a quota with a short retry, and says how old its data is', async () => {
      const embed = await app.check({ orgId: org(), endpoint: 'embed' });
      expect(embed.body).toMatchObject({ allowed: false, reason: 'rate_limited', retryAfterSeconds: 1 });
      expect(embed.headers.get('retry-after')).toBe('1');
      expect(embed.body.asOf).toBe('1970-01-01T00:00:00.000Z');
      const generate = await app.check({ orgId: org(), endpoint: 'generate' });
      expect(generate.body).toMatchObject({
        allowed: false,
        reason: 'quota_exhausted',
        retryAfterSeconds: 1,
      });
    });

    it('reports itself not ready and stale in its metrics', async () => {
      const ready = await fetch(`${app.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toContain('read model');
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/^decision_read_model_stale 1$/m);
    });
  });

  describe('open for rate limits and quotas', () => {
    let app: DecisionApp;
    const orgId = org();

    beforeAll(async () => {
      // The projection is read once, at start.
      await stack.db.query(
        `INSERT INTO usage_lifetime (org_id, endpoint, input_chars) VALUES ($1, 'generate', 500000)`,
        [orgId],
      );
      app = await stack.boot(
        { ...unreachableKafka, DECISION_STALE_RATE_POLICY: 'open', DECISION_STALE_QUOTA_POLICY: 'open' },
        false,
      );
    }, 30_000);

    afterAll(async () => {
      await app?.close();
    }, 30_000);

    it('answers from what it knows: the projection and its own counts', async () => {
      await eventually(async () => app.model.loaded, 10_000);
      expect((await app.check({ orgId: org(), endpoint: 'generate', hits: 0 })).body.allowed).toBe(true);
      expect((await app.check({ orgId, endpoint: 'generate', hits: 0 })).body).toMatchObject({
        allowed: false,
        reason: 'quota_exhausted',
        retryAfterSeconds: null,
      });
    });
  });
});
