import { Client, status } from '@grpc/grpc-js';
import { uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack, post } from './decision-harness';
import { Unary, check, clients, descriptor, shouldRateLimit } from './decision-grpc-client';

/** Issue 10, findings 4 and 7: a request id names one call; Envoy descriptors are judged one by one. */
describe('request ids and descriptors', () => {
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

  it('refuses a request id reused for another check with 409, without letting the second check through', async () => {
    const orgId = org();
    const first = await app.check({ orgId, endpoint: 'embed', requestId: 'r-1' });
    expect(first.body.allowed).toBe(true);
    const reused = await app.check({ orgId, endpoint: 'generate', model: 'large', requestId: 'r-1' });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ reason: 'request_id_conflict' });
    // The same check again is a retry: the first answer, nothing counted.
    const retry = await app.check({ orgId, endpoint: 'embed', requestId: 'r-1' });
    expect(retry.body).toMatchObject({ allowed: true, requestId: 'r-1' });
    expect(retry.body.limits.find((l) => l.name === 'embed-minute')?.remaining).toBe(499);
  });

  it('remembers a denial as the answer to its retries, and never a peek', async () => {
    const orgId = org();
    const denied = await app.check({ orgId, endpoint: 'generate', model: 'large', requestId: 'd-1' });
    expect(denied.body.reason).toBe('model_not_allowed');
    expect(
      (await app.check({ orgId, endpoint: 'generate', model: 'large', requestId: 'd-1' })).body.reason,
    ).toBe('model_not_allowed');
    const peek = await app.check({ orgId, endpoint: 'generate', requestId: 'p-1', hits: 0 });
    expect(peek.body.allowed).toBe(true);
    // The peek took nothing: the real check with that id is counted.
    const real = await app.check({ orgId, endpoint: 'generate', requestId: 'p-1' });
    expect(real.body.allowed).toBe(true);
    expect(real.body.limits.find((l) => l.name === 'generate-minute')?.remaining).toBe(59);
  });

  it('answers a conflicting check of a batch alone, and gRPC Check with ALREADY_EXISTS', async () => {
    const orgId = org();
    await app.check({ orgId, endpoint: 'embed', requestId: 'b-1' });
    const batch = await post(`${app.url}/v1/decisions/batch`, {
      checks: [
        { orgId, endpoint: 'classify', requestId: 'b-1' },
        { orgId, endpoint: 'classify', requestId: 'b-2' },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r) => [r.allowed, r.reason])).toEqual([
      [false, 'request_id_conflict'],
      [true, null],
    ]);
    await expect(
      check(decisions, { org_id: orgId, endpoint: 'generate', request_id: 'b-1' }),
    ).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
  });

  it('judges each Envoy descriptor on its own: an unreadable one denies the request and counts nothing', async () => {
    const orgId = org();
    const response = await shouldRateLimit(rls, {
      domain: 'metergate',
      descriptors: [
        descriptor({ org_id: orgId, endpoint: 'embed' }),
        descriptor({ org_id: orgId, endpoint: 'no-such-endpoint' }),
      ],
    });
    expect(response.overall_code).toBe('OVER_LIMIT');
    expect(response.statuses.map((s) => s.code)).toEqual(['OK', 'OVER_LIMIT']);
    const embed = await app.check({ orgId, endpoint: 'embed', hits: 0 });
    expect(embed.body.limits.find((l) => l.name === 'embed-minute')?.remaining).toBe(500);
  });

  it('reads a descriptor hits_addend of 0 as a peek', async () => {
    const orgId = org();
    const peek = await shouldRateLimit(rls, {
      domain: 'metergate',
      hits_addend: 5,
      descriptors: [descriptor({ org_id: orgId, endpoint: 'embed' }, 0)],
    });
    expect(peek.overall_code).toBe('OK');
    const embed = await app.check({ orgId, endpoint: 'embed', hits: 0 });
    expect(embed.body.limits.find((l) => l.name === 'embed-minute')?.remaining).toBe(500);
  });
});
