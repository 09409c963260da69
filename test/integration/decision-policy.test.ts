import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack, accessEvent, admissionEvent, usageEvent } from './decision-harness';

/** The default policy's shape with small limits, so that daily caps and quotas are reached quickly. */
const smallPolicy = {
  version: 1,
  defaultTier: 'trial',
  endpoints: ['generate', 'embed', 'classify'],
  models: ['small', 'medium', 'large'],
  tiers: {
    trial: {
      limits: { generate: { perMinute: 1000, perDay: 5 }, '*': { perMinute: 1000, perDay: 3 } },
      quotas: [
        { name: 'generate_chars', endpoints: ['generate'], limit: 1000, unit: 'chars', window: 'lifetime' },
      ],
      models: ['small', 'medium'],
    },
    production: {
      limits: { '*': { perMinute: 10000, perDay: null } },
      quotas: [],
      models: ['small', 'medium', 'large'],
    },
  },
};

describe('decision API with a small policy', () => {
  let stack: DecisionStack;
  let app: DecisionApp;
  const org = () => uniqueName('org').replace(/\./g, '_');

  beforeAll(async () => {
    const policyPath = join(tmpdir(), `${uniqueName('decision-policy')}.json`);
    writeFileSync(policyPath, JSON.stringify(smallPolicy));
    stack = await DecisionStack.create({ ACCESS_POLICY_PATH: policyPath });
    app = await stack.boot();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('enforces the daily caps of generate and of the other endpoints', async () => {
    const orgId = org();
    for (let i = 0; i < 5; i += 1)
      expect((await app.check({ orgId, endpoint: 'generate' })).body.allowed).toBe(true);
    const denied = await app.check({ orgId, endpoint: 'generate' });
    expect(denied.body).toMatchObject({ allowed: false, reason: 'rate_limited' });
    expect(denied.body.retryAfterSeconds).toBeGreaterThan(86_400 - 120);
    expect(denied.headers.get('retry-after')).toBe(String(denied.body.retryAfterSeconds));
    for (let i = 0; i < 3; i += 1)
      expect((await app.check({ orgId, endpoint: 'classify' })).body.allowed).toBe(true);
    expect((await app.check({ orgId, endpoint: 'classify' })).body.reason).toBe('rate_limited');
    expect((await app.check({ orgId, endpoint: 'embed' })).body.allowed).toBe(true);
  });

  // The projection is read once, at start: rows staged for these tests are read by a replica started after.
  it('slides the day window: calls from almost 24 hours ago in the projection leave it on time', async () => {
    const orgId = org();
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    // A call leaves the day window 24 hours after its minute bucket at the earliest, one minute after
    // at the latest: this bucket's calls leave within the next minute.
    await stack.db.query(
      `INSERT INTO usage_by_minute (org_id, endpoint, bucket, calls) VALUES ($1, 'generate', $2, 5)`,
      [orgId, new Date(minute - 24 * 60 * 60_000)],
    );
    const started = await stack.boot();
    const denied = await started.check({ orgId, endpoint: 'generate' });
    expect(denied.body).toMatchObject({ allowed: false, reason: 'rate_limited' });
    expect(denied.body.retryAfterSeconds).toBeGreaterThan(0);
    expect(denied.body.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('applies limit overrides and access from the projection it starts from', async () => {
    const orgId = org();
    await stack.db.query(
      `INSERT INTO org_access (org_id, tier, status, limit_overrides, version, updated_at)
       VALUES ($1, 'trial', 'active', '{"generate": {"perDay": 1}}', 3, now())`,
      [orgId],
    );
    const started = await stack.boot();
    expect((await started.check({ orgId, endpoint: 'generate' })).body.allowed).toBe(true);
    const denied = await started.check({ orgId, endpoint: 'generate' });
    expect(denied.body.reason).toBe('rate_limited');
    expect(denied.body.limits.find((l) => l.name === 'generate-day')).toMatchObject({
      limit: 1,
      remaining: 0,
    });
  });

  it('suspends generate when the quota is used up and reinstates it at once on a tier change', async () => {
    const orgId = org();
    expect((await app.check({ orgId, endpoint: 'generate', requestId: 'big-call' })).body.allowed).toBe(true);
    await stack.publish(stack.topics.USAGE_TOPIC, [
      usageEvent(orgId, 'big-call', { inputChars: 400, outputChars: 700 }),
    ]);
    const exhausted = await eventually(
      async () => {
        const { body } = await app.check({ orgId, endpoint: 'generate', hits: 0 });
        return body.reason === 'quota_exhausted' ? body : undefined;
      },
      5_000,
      20,
    );
    expect(exhausted).toBeTruthy();
    // The usage event carried the admitted call's id: its characters counted, its call not twice.
    expect(exhausted!.limits.find((l) => l.name === 'generate-day')).toMatchObject({ remaining: 4 });

    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(orgId, 1, { tier: 'production', status: 'active', limitOverrides: {} }),
    ]);
    const reinstated = await eventually(
      async () => {
        const { body } = await app.check({ orgId, endpoint: 'generate', model: 'large' });
        return body.allowed ? body : undefined;
      },
      5_000,
      20,
    );
    expect(reinstated).toMatchObject({ tier: 'production', reason: null });
  });

  it('denies everything to a suspended organization', async () => {
    const orgId = org();
    expect((await app.check({ orgId, endpoint: 'embed' })).body.allowed).toBe(true);
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(
        orgId,
        1,
        { tier: 'trial', status: 'suspended', limitOverrides: {} },
        'OrganizationSuspended',
      ),
    ]);
    const denied = await eventually(
      async () => {
        const { body } = await app.check({ orgId, endpoint: 'embed' });
        return body.allowed ? undefined : body;
      },
      5_000,
      20,
    );
    expect(denied).toMatchObject({ reason: 'suspended', retryAfterSeconds: null });
  });

  it('counts admissions of other replicas arriving through Kafka, once per call id', async () => {
    const orgId = org();
    const other = admissionEvent(orgId, 'other-replica-call', 2, 'classify');
    await stack.publish(stack.topics.CALLS_ADMITTED_TOPIC, [other, other]);
    await stack.publish(stack.topics.USAGE_TOPIC, [
      usageEvent(orgId, 'other-replica-call', { endpoint: 'classify' }),
    ]);
    const seen = await eventually(
      async () => {
        const { body } = await app.check({ orgId, endpoint: 'classify', hits: 0 });
        return body.limits[1].remaining === 1 ? body : undefined;
      },
      5_000,
      20,
    );
    expect(seen).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await app.check({ orgId, endpoint: 'classify', hits: 0 })).body.limits[1].remaining).toBe(1);
  });

  it('keeps admissions across a restart of the decision app', async () => {
    const orgId = org();
    for (let i = 0; i < 5; i += 1)
      expect((await app.check({ orgId, endpoint: 'generate' })).body.allowed).toBe(true);
    await app.close();
    app = await stack.boot();
    const after = await app.check({ orgId, endpoint: 'generate' });
    expect(after.body).toMatchObject({ allowed: false, reason: 'rate_limited' });
  });

  it('does not count twice what a projection snapshot already holds', async () => {
    const orgId = org();
    await stack.publish(stack.topics.CALLS_ADMITTED_TOPIC, [admissionEvent(orgId, 'projected-call', 2)]);
    // Stage the projector having applied everything so far: its offsets and the rows they account for.
    for (const topic of [stack.topics.USAGE_TOPIC, stack.topics.CALLS_ADMITTED_TOPIC]) {
      for (const { partition, offset } of await stack.endOffsets(topic)) {
        await stack.db.query(
          `INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
           ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = excluded.next_offset`,
          [stack.projectorGroup, topic, partition, offset],
        );
      }
    }
    const now = Date.now();
    await stack.db.query(
      `INSERT INTO usage_by_second (org_id, endpoint, bucket, calls) VALUES ($1, 'generate', $2, 2)`,
      [orgId, new Date(Math.floor(now / 1000) * 1000)],
    );
    await stack.db.query(
      `INSERT INTO usage_by_minute (org_id, endpoint, bucket, calls) VALUES ($1, 'generate', $2, 2)`,
      [orgId, new Date(Math.floor(now / 60_000) * 60_000)],
    );
    await app.close();
    app = await stack.boot();
    const { body } = await app.check({ orgId, endpoint: 'generate' });
    expect(body.limits.find((l) => l.name === 'generate-day')).toMatchObject({ remaining: 2 });
  });
});
