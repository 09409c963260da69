import { Client, status } from '@grpc/grpc-js';
import { uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack } from './decision-harness';
import { GrpcAnswer, Unary, call, check, clients, descriptor, shouldRateLimit } from './decision-grpc-client';

describe('decision gRPC services', () => {
  let stack: DecisionStack;
  let app: DecisionApp;
  let rls: Client & Record<string, Unary>;
  let decisions: Client & Record<string, Unary>;
  const org = () => uniqueName('org').replace(/\./g, '_');

  beforeAll(async () => {
    stack = await DecisionStack.create();
    app = await stack.boot();
    ({ rls, decisions } = clients(app.grpcPort));
  }, 60_000);

  afterAll(async () => {
    rls?.close();
    decisions?.close();
    await stack?.close();
  }, 30_000);

  it('answers Envoy ShouldRateLimit with OK until the minute limit and OVER_LIMIT after it', async () => {
    const orgId = org();
    const request = (hits?: number) => ({
      domain: 'metergate',
      descriptors: [descriptor({ org_id: orgId, endpoint: 'generate', model: 'small', user_id: 'u1' }, hits)],
    });
    const first = await shouldRateLimit(rls, request(59));
    expect(first.overall_code).toBe('OK');
    expect(first.statuses[0]).toMatchObject({
      code: 'OK',
      current_limit: { name: 'generate-minute', requests_per_unit: 60, unit: 'MINUTE' },
      limit_remaining: 1,
    });
    expect(first.request_headers_to_add[0].key).toBe('x-metergate-request-id');
    expect((await shouldRateLimit(rls, request())).overall_code).toBe('OK');
    const over = await shouldRateLimit(rls, request());
    expect(over.overall_code).toBe('OVER_LIMIT');
    expect(over.statuses[0]).toMatchObject({ code: 'OVER_LIMIT', limit_remaining: 0 });
    expect(Number(over.statuses[0].duration_until_reset.seconds)).toBeGreaterThan(50);
    const headers = Object.fromEntries(over.response_headers_to_add.map((h) => [h.key, h.value]));
    expect(headers['RateLimit-Policy']).toContain('"generate-minute";q=60;w=60');
    expect(headers.RateLimit).toContain('"generate-minute";r=0;t=');
    expect(Number(headers['Retry-After'])).toBe(Number(over.statuses[0].duration_until_reset.seconds));
  });

  it('uses the request hits_addend, counts all descriptors or none, and ignores descriptors not ours', async () => {
    const orgId = org();
    const response = await shouldRateLimit(rls, {
      domain: 'metergate',
      hits_addend: 3,
      descriptors: [
        descriptor({ org_id: orgId, endpoint: 'embed' }),
        descriptor({ remote_address: '10.0.0.1' }),
      ],
    });
    expect(response.overall_code).toBe('OK');
    expect(response.statuses).toHaveLength(2);
    expect(response.statuses[0].limit_remaining).toBe(497);
    expect(response.statuses[1]).toMatchObject({ code: 'OK', current_limit: null });

    const denied = await shouldRateLimit(rls, {
      domain: 'metergate',
      descriptors: [
        descriptor({ org_id: orgId, endpoint: 'embed' }),
        descriptor({ org_id: orgId, endpoint: 'generate', model: 'large' }),
      ],
    });
    expect(denied.overall_code).toBe('OVER_LIMIT');
    expect(denied.statuses.map((s) => s.code)).toEqual(['OK', 'OVER_LIMIT']);
    const embed = await check(decisions, { org_id: orgId, endpoint: 'embed', hits: 0 });
    expect(embed.limits[0].remaining).toBe(497);
  });

  it('refuses another domain, and answers an unreadable descriptor OVER_LIMIT instead of failing', async () => {
    await expect(shouldRateLimit(rls, { domain: 'other', descriptors: [] })).rejects.toMatchObject({
      code: 3,
    });
    // An error would let Envoy (failure_mode_deny false by default) pass the call uncounted.
    const response = await shouldRateLimit(rls, {
      domain: 'metergate',
      descriptors: [descriptor({ org_id: org(), endpoint: 'nope' })],
    });
    expect(response.overall_code).toBe('OVER_LIMIT');
    expect(response.statuses.map((s) => s.code)).toEqual(['OVER_LIMIT']);
    // Ours but incomplete (a route whose actions lost an entry) is unreadable too, never a free pass;
    // model or user_id alone could be anyone's descriptor.
    const orgId = org();
    const partial = await shouldRateLimit(rls, {
      domain: 'metergate',
      descriptors: [
        descriptor({ org_id: orgId }),
        descriptor({ endpoint: 'embed' }),
        descriptor({ api_key: 'mg_test_x', model: 'small' }),
        descriptor({ user_id: 'u1' }),
      ],
    });
    expect(partial.statuses.map((s) => s.code)).toEqual(['OVER_LIMIT', 'OVER_LIMIT', 'OVER_LIMIT', 'OK']);
    const embed = await check(decisions, { org_id: orgId, endpoint: 'embed', hits: 0 });
    expect(embed.limits[0].remaining).toBe(500);
  });

  it('answers DecisionService Check and CheckBatch with the HTTP fields', async () => {
    const orgId = org();
    const answer = await check(decisions, { org_id: orgId, endpoint: 'generate', request_id: 'g-1' });
    expect(answer).toMatchObject({ allowed: true, tier: 'trial', request_id: 'g-1' });
    expect(answer.limits.map((l) => l.name)).toEqual(['generate-minute', 'generate-day', 'generate_chars']);
    expect(Date.parse(answer.as_of)).toBeGreaterThan(0);
    const batch = await call<{ results: GrpcAnswer[] }>(decisions, 'CheckBatch', {
      checks: [
        { org_id: orgId, endpoint: 'generate', model: 'large' },
        { org_id: orgId, endpoint: 'generate', request_id: 'g-1' },
      ],
    });
    expect(batch.results.map((r) => [r.allowed, r.reason])).toEqual([
      [false, 'model_not_allowed'],
      [true, undefined],
    ]);
    expect(batch.results[1].limits[0].remaining).toBe(59);
    await expect(check(decisions, { org_id: orgId, endpoint: 'generate', hits: 5000 })).rejects.toMatchObject(
      {
        code: 3,
      },
    );
  });

  it.each([
    ['no token', null, status.UNAUTHENTICATED],
    ['an unknown token', 'not-a-token', status.UNAUTHENTICATED],
    ["an analyst's token", 'dev-analyst', status.PERMISSION_DENIED],
  ])('refuses both services a call with %s', async (_case, token, code) => {
    const request = { org_id: org(), endpoint: 'embed' };
    await expect(call(decisions, 'Check', request, token)).rejects.toMatchObject({ code });
    const rlsRequest = {
      domain: 'metergate',
      descriptors: [descriptor({ org_id: org(), endpoint: 'embed' })],
    };
    await expect(call(rls, 'ShouldRateLimit', rlsRequest, token)).rejects.toMatchObject({ code });
  });

  it('lets an admin token call them too', async () => {
    const answer = await call<GrpcAnswer>(
      decisions,
      'Check',
      { org_id: org(), endpoint: 'embed' },
      'dev-admin',
    );
    expect(answer.allowed).toBe(true);
  });
});
