import { formatApiKey, apiKeyDigest } from '@metergate/policy';
import { randomBytes } from 'node:crypto';
import { Client } from '@grpc/grpc-js';
import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack, accessEvent } from './decision-harness';
import { Unary, check, clients, descriptor, shouldRateLimit } from './decision-grpc-client';

/** Issue 13: decisions by API key, production keys and fine-tuning need full access, own models. */
describe('decisions by API key', () => {
  let stack: DecisionStack;
  let app: DecisionApp;
  let other: DecisionApp;
  let grpc: { rls: Client & Record<string, Unary>; decisions: Client & Record<string, Unary> };
  const org = () => uniqueName('org').replace(/\./g, '_');
  const key = (purpose: 'trial' | 'production') => {
    const secret = formatApiKey(purpose, randomBytes(24));
    return { secret, keyId: `key_${randomBytes(4).toString('hex')}`, digest: apiKeyDigest(secret), purpose };
  };
  const active = (k: ReturnType<typeof key>) => ({
    keyId: k.keyId,
    prefix: k.secret.slice(0, 16),
    purpose: k.purpose,
    digest: k.digest,
  });
  const trial = { tier: 'trial', status: 'active' as const, limitOverrides: {} };
  const production = { tier: 'production', status: 'active' as const, limitOverrides: {} };
  /** Waits until both replicas give `expected` for the check. */
  const onBoth = async (body: Record<string, unknown>, expected: string | null) =>
    eventually(
      async () => {
        for (const replica of [app, other]) {
          if ((await replica.check(body)).body.reason !== expected) return false;
        }
        return true;
      },
      5_000,
      20,
    );

  beforeAll(async () => {
    stack = await DecisionStack.create();
    [app, other] = [await stack.boot(), await stack.boot()];
    grpc = clients(app.grpcPort);
  }, 90_000);

  afterAll(async () => {
    grpc?.rls.close();
    grpc?.decisions.close();
    await stack?.close();
  }, 30_000);

  it('answers a check made with a key for its organization, naming both', async () => {
    const orgId = org();
    const k = key('trial');
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(orgId, 1, { ...trial, apiKeys: [active(k)] }),
    ]);
    expect(await onBoth({ apiKey: k.secret, endpoint: 'embed', hits: 0 }, null)).toBe(true);
    const answer = await app.check({ apiKey: k.secret, endpoint: 'embed' });
    expect(answer.body).toMatchObject({ allowed: true, orgId, keyId: k.keyId, tier: 'trial' });
    // Limits are the organization's, whichever way it is named.
    const byOrg = await app.check({ orgId, endpoint: 'embed', hits: 0 });
    expect(byOrg.body.limits.find((l) => l.name === 'embed-minute')?.remaining).toBe(499);
    expect(byOrg.body).not.toHaveProperty('keyId');

    const grpcAnswer = await check(grpc.decisions, { api_key: k.secret, endpoint: 'embed' });
    expect(grpcAnswer).toMatchObject({ allowed: true, org_id: orgId, key_id: k.keyId });
    const envoy = await shouldRateLimit(grpc.rls, {
      domain: 'metergate',
      descriptors: [descriptor({ api_key: k.secret, endpoint: 'embed' })],
    });
    expect(envoy.overall_code).toBe('OK');
    const after = await app.check({ orgId, endpoint: 'embed', hits: 0 });
    expect(after.body.limits.find((l) => l.name === 'embed-minute')?.remaining).toBe(497);
  });

  it('denies an unknown key, and a revoked one on every replica within a second', async () => {
    expect((await app.check({ apiKey: 'mg_trial_unknown', endpoint: 'embed' })).body).toMatchObject({
      allowed: false,
      reason: 'invalid_key',
    });
    const orgId = org();
    const k = key('trial');
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(orgId, 1, { ...trial, apiKeys: [active(k)] }),
    ]);
    expect(await onBoth({ apiKey: k.secret, endpoint: 'embed', hits: 0 }, null)).toBe(true);
    const revokedAt = Date.now();
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [accessEvent(orgId, 2, { ...trial, apiKeys: [] })]);
    expect(await onBoth({ apiKey: k.secret, endpoint: 'embed', hits: 0 }, 'invalid_key')).toBe(true);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it('takes a production key only while the organization has full access', async () => {
    const orgId = org();
    const k = key('production');
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(orgId, 1, { ...trial, apiKeys: [active(k)] }),
    ]);
    expect(
      await onBoth({ apiKey: k.secret, endpoint: 'embed', hits: 0 }, 'production_requires_full_access'),
    ).toBe(true);
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(orgId, 2, { ...production, apiKeys: [active(k)] }),
    ]);
    expect(await onBoth({ apiKey: k.secret, endpoint: 'embed', hits: 0 }, null)).toBe(true);
  });

  it('keeps fine-tuning for full access', async () => {
    const orgId = org();
    expect((await app.check({ orgId, endpoint: 'finetune' })).body).toMatchObject({
      allowed: false,
      reason: 'endpoint_not_allowed',
    });
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [accessEvent(orgId, 1, production)]);
    expect(await onBoth({ orgId, endpoint: 'finetune', hits: 0 }, null)).toBe(true);
  });

  it('lets an organization use its own model only itself, and only with full access', async () => {
    const [owner, stranger] = [org(), org()];
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(owner, 1, { ...production, models: ['owner-ft-1'] }),
      accessEvent(stranger, 1, production),
    ]);
    expect(await onBoth({ orgId: owner, endpoint: 'generate', model: 'owner-ft-1', hits: 0 }, null)).toBe(
      true,
    );
    expect(
      (await app.check({ orgId: stranger, endpoint: 'generate', model: 'owner-ft-1' })).body.reason,
    ).toBe('model_not_allowed');
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(owner, 2, { ...trial, models: ['owner-ft-1'] }),
    ]);
    expect(
      await onBoth({ orgId: owner, endpoint: 'generate', model: 'owner-ft-1', hits: 0 }, 'model_not_allowed'),
    ).toBe(true);
  });

  it('refuses a check that names both an organization and a key, or neither', async () => {
    const both = await app.check({ orgId: org(), apiKey: 'mg_trial_x', endpoint: 'embed' });
    expect(both.status).toBe(400);
    expect(both.body.problems.map((p) => p.field)).toEqual(['apiKey']);
    const neither = await app.check({ endpoint: 'embed' });
    expect(neither.status).toBe(400);
    expect(neither.body.problems.map((p) => p.field)).toEqual(['orgId']);
  });
});
