import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack, post, usageEvent } from './decision-harness';

/** A quota of 10,000 characters, a characters-per-minute limit on embed, reservations that end in 3 s. */
const policy = {
  version: 1,
  defaultTier: 'trial',
  endpoints: ['generate', 'embed'],
  models: ['small'],
  reservationTtlSeconds: 3,
  tiers: {
    trial: {
      models: ['small'],
      limits: [
        { name: 'generate-minute', endpoints: ['generate'], unit: 'calls', window: 'PT1M', limit: 1000 },
        { name: 'generate_chars', endpoints: ['generate'], unit: 'chars', window: 'lifetime', limit: 10_000 },
        { name: 'embed-tpm', endpoints: ['embed'], unit: 'chars', window: 'PT1M', limit: 2_000 },
      ],
    },
  },
};

/** Issue 12: what a call may cost is reserved up front and settled by its usage event. */
describe('reservations', () => {
  let stack: DecisionStack;
  let app: DecisionApp;
  const org = () => uniqueName('org').replace(/\./g, '_');
  const quota = (body: { limits: { name: string; remaining: number; reserved: number }[] }) =>
    body.limits.find((l) => l.name === 'generate_chars')!;

  beforeAll(async () => {
    const path = join(tmpdir(), `${uniqueName('reservation-policy')}.json`);
    writeFileSync(path, JSON.stringify(policy));
    stack = await DecisionStack.create({ ACCESS_POLICY_PATH: path });
    app = await stack.boot();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('admits exactly the concurrent checks whose characters fit, and the usage events settle them', async () => {
    const orgId = org();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        app.check({ orgId, endpoint: 'generate', requestId: `c-${i}`, chars: 1_000 }),
      ),
    );
    const allowed = answers.filter((a) => a.body.allowed);
    expect(allowed).toHaveLength(10);
    expect(answers.filter((a) => !a.body.allowed).every((a) => a.body.reason === 'quota_exhausted')).toBe(
      true,
    );
    // Each call used at most what it reserved: once all are reported, used <= limit.
    await stack.publish(
      stack.topics.USAGE_TOPIC,
      allowed.map((a, i) =>
        usageEvent(orgId, a.body.requestId, { inputChars: 300, outputChars: 100 + i * 50 }),
      ),
    );
    const used = 10 * 400 + 50 * 45;
    const settled = await eventually(async () => {
      const { body } = await app.check({ orgId, endpoint: 'generate', hits: 0 });
      return quota(body).reserved === 0 ? body : undefined;
    });
    expect(settled && quota(settled)).toMatchObject({ remaining: 10_000 - used, reserved: 0 });
  });

  it('frees a reservation on release, once, and answers 404 for none', async () => {
    const orgId = org();
    const held = await app.check({ orgId, endpoint: 'generate', requestId: 'rel-1', chars: 4_000 });
    expect(quota(held.body)).toMatchObject({ reserved: 4_000, remaining: 6_000 });
    const released = await post(`${app.url}/v1/decisions/rel-1/release`, { orgId });
    expect(released).toMatchObject({ status: 200, body: { released: 4_000 } });
    expect((await post(`${app.url}/v1/decisions/rel-1/release`, { orgId })).status).toBe(404);
    const after = await app.check({ orgId, endpoint: 'generate', hits: 0 });
    expect(quota(after.body)).toMatchObject({ reserved: 0, remaining: 10_000 });
  });

  it('ends a reservation nobody settles after the policy TTL', async () => {
    const orgId = org();
    await app.check({ orgId, endpoint: 'generate', requestId: 'ttl-1', chars: 9_000 });
    expect(
      (await app.check({ orgId, endpoint: 'generate', requestId: 'ttl-2', chars: 2_000 })).body.reason,
    ).toBe('quota_exhausted');
    const freed = await eventually(
      async () => quota((await app.check({ orgId, endpoint: 'generate', hits: 0 })).body).reserved === 0,
      10_000,
      250,
    );
    expect(freed).toBe(true);
  });

  it('reaches another replica and a restarted one through Kafka', async () => {
    const orgId = org();
    await app.check({ orgId, endpoint: 'generate', requestId: 'seen-1', chars: 7_000 });
    const other = await stack.boot();
    const seen = await eventually(
      async () =>
        quota((await other.check({ orgId, endpoint: 'generate', hits: 0 })).body).reserved === 7_000,
    );
    expect(seen).toBe(true);
    // Settled on the first replica, released everywhere.
    expect((await post(`${other.url}/v1/decisions/seen-1/release`, { orgId })).body).toEqual({
      released: 7_000,
    });
    const freed = await eventually(
      async () => quota((await app.check({ orgId, endpoint: 'generate', hits: 0 })).body).reserved === 0,
    );
    expect(freed).toBe(true);
    await other.close();
  });

  it('holds characters per minute against a window, answers a peek without reserving, and needs a request id', async () => {
    const orgId = org();
    const peek = await app.check({ orgId, endpoint: 'embed', hits: 0, requestId: 'pk', chars: 1_500 });
    expect(peek.body.allowed).toBe(true);
    expect((await app.check({ orgId, endpoint: 'embed', requestId: 'w-1', chars: 1_500 })).body.allowed).toBe(
      true,
    );
    const denied = await app.check({ orgId, endpoint: 'embed', requestId: 'w-2', chars: 1_000 });
    expect(denied.body).toMatchObject({ allowed: false, reason: 'rate_limited' });
    const anonymous = await app.check({ orgId, endpoint: 'embed', chars: 10 });
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.problems).toEqual([
      { field: 'requestId', message: 'requestId is required with chars' },
    ]);
  });
});
