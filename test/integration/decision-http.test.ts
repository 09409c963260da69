import fc from 'fast-check';
import { Agent, IncomingHttpHeaders, request } from 'node:http';
import { metricSum } from '../support/metrics';
import { uniqueName, eventually } from '../support/test-kafka';
import { DecisionApp, DecisionStack, post, usageEvent } from './decision-harness';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * POST /v1/decisions with a raw body: with a Content-Length, as clients send it, the request takes the
 * fast lane; chunked, it goes to the Fastify route. Both must answer alike.
 */
function send(
  url: string,
  body: string,
  via: 'lane' | 'fastify',
  token = 'dev-service',
  agent?: Agent,
): Promise<RawAnswer & { localPort?: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/decisions`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          ...(via === 'lane'
            ? { 'content-length': String(Buffer.byteLength(body)) }
            : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        const localPort = res.socket.localPort;
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: text, localPort }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What may differ between two checks of one org made one after the other: ids, times, counts. */
function comparable(answer: RawAnswer) {
  const volatile = new Set(['requestId', 'asOf', 'remaining', 'reserved', 'resetSeconds']);
  let body: unknown = answer.body;
  try {
    body = JSON.parse(answer.body, (key, value: unknown) => (volatile.has(key) ? '…' : value));
  } catch {
    // Not JSON: compared as text.
  }
  const digits = (value: string | string[] | undefined) =>
    typeof value === 'string' ? value.replace(/\d+/g, 'N') : value;
  return {
    status: answer.status,
    body,
    contentType: answer.headers['content-type'],
    connection: answer.headers.connection,
    rateLimitPolicy: answer.headers['ratelimit-policy'],
    rateLimit: digits(answer.headers.ratelimit),
    retryAfter: digits(answer.headers['retry-after']),
    headerNames: Object.keys(answer.headers)
      .filter((name) => name !== 'transfer-encoding' && name !== 'content-length')
      .sort(),
  };
}

describe('decision API over HTTP with the default policy', () => {
  let stack: DecisionStack;
  let app: DecisionApp;
  const org = () => uniqueName('org').replace(/\./g, '_');

  beforeAll(async () => {
    stack = await DecisionStack.create();
    app = await stack.boot();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('allows 60 generate calls within a minute and denies the 61st with a correct Retry-After', async () => {
    const orgId = org();
    for (let i = 0; i < 60; i += 1) {
      const { status, body } = await app.check({ orgId, endpoint: 'generate' });
      expect(status).toBe(200);
      expect(body.allowed).toBe(true);
    }
    const started = Date.now();
    const denied = await app.check({ orgId, endpoint: 'generate', requestId: 'the-61st' });
    expect(denied.body).toMatchObject({
      allowed: false,
      reason: 'rate_limited',
      tier: 'trial',
      requestId: 'the-61st',
    });
    const retryAfter = Number(denied.headers.get('retry-after'));
    expect(retryAfter).toBe(denied.body.retryAfterSeconds);
    // The first call leaves the 60-second window at most 61 s after it was counted (1-second buckets).
    expect(retryAfter).toBeGreaterThanOrEqual(58);
    expect(retryAfter).toBeLessThanOrEqual(61 - Math.floor((Date.now() - started) / 1000) + 1);
    expect(denied.headers.get('ratelimit-policy')).toBe(
      '"generate-minute";q=60;w=60, "generate-day";q=50000;w=86400, "generate_chars";q=500000;qu="metergate-chars"',
    );
    expect(denied.headers.get('ratelimit')).toMatch(
      /^"generate-minute";r=0;t=\d+, "generate-day";r=49940;t=\d+, "generate_chars";r=500000$/,
    );
  });

  it('answers with the contract shape, limits and the request id', async () => {
    const { body, headers } = await app.check({
      orgId: org(),
      endpoint: 'embed',
      model: 'small',
      userId: 'u1',
    });
    expect(body).toEqual({
      allowed: true,
      reason: null,
      tier: 'trial',
      retryAfterSeconds: null,
      limits: [
        {
          name: 'embed-minute',
          unit: 'calls',
          window: 'minute',
          windowSeconds: 60,
          limit: 500,
          remaining: 499,
          reserved: 0,
          resetSeconds: expect.any(Number),
        },
        {
          name: 'embed-day',
          unit: 'calls',
          window: 'day',
          windowSeconds: 86400,
          limit: 100000,
          remaining: 99999,
          reserved: 0,
          resetSeconds: expect.any(Number),
        },
      ],
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(Date.now() - Date.parse(body.asOf)).toBeLessThan(5_000);
    expect(headers.get('retry-after')).toBeNull();
  });

  it('allows small and medium models on trial and refuses large', async () => {
    const orgId = org();
    expect((await app.check({ orgId, endpoint: 'generate', model: 'small' })).body.allowed).toBe(true);
    expect((await app.check({ orgId, endpoint: 'generate', model: 'medium' })).body.allowed).toBe(true);
    const large = await app.check({ orgId, endpoint: 'generate', model: 'large' });
    expect(large.body).toMatchObject({
      allowed: false,
      reason: 'model_not_allowed',
      retryAfterSeconds: null,
    });
    expect(large.headers.get('retry-after')).toBeNull();
  });

  it('gives a retried check the same answer and counts it once', async () => {
    const orgId = org();
    const first = await app.check({ orgId, endpoint: 'generate', requestId: 'call-1' });
    const retry = await app.check({ orgId, endpoint: 'generate', requestId: 'call-1' });
    expect(first.body.allowed).toBe(true);
    expect(retry.body).toMatchObject({ allowed: true, requestId: 'call-1' });
    expect(retry.body.limits[0].remaining).toBe(59);
    const next = await app.check({ orgId, endpoint: 'generate' });
    expect(next.body.limits[0].remaining).toBe(58);
  });

  it('admits exactly one of many checks racing for the last free slot', async () => {
    const orgId = org();
    await app.check({ orgId, endpoint: 'generate', hits: 59 });
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        app.check({ orgId, endpoint: 'generate', requestId: `race-${i}` }),
      ),
    );
    expect(answers.filter((a) => a.body.allowed)).toHaveLength(1);
  });

  it('enforces the character quota across two users of one organization, fed by usage events', async () => {
    const orgId = org();
    await stack.publish(stack.topics.USAGE_TOPIC, [
      usageEvent(orgId, 'u1-call', { userId: 'alice', inputChars: 100_000, outputChars: 150_000 }),
      usageEvent(orgId, 'u2-call', { userId: 'bob', inputChars: 200_000, outputChars: 49_999 }),
    ]);
    const last = await eventually(
      async () => {
        const { body } = await app.check({ orgId, endpoint: 'generate', hits: 0 });
        return body.limits[2].remaining === 1 ? body : undefined;
      },
      5_000,
      20,
    );
    expect(last).toMatchObject({ allowed: true });
    await stack.publish(stack.topics.USAGE_TOPIC, [
      usageEvent(orgId, 'u1-call-2', { userId: 'alice', inputChars: 10 }),
    ]);
    const exhausted = await eventually(
      async () => {
        const { body } = await app.check({ orgId, endpoint: 'generate' });
        return body.allowed ? undefined : body;
      },
      5_000,
      20,
    );
    expect(exhausted).toMatchObject({ allowed: false, reason: 'quota_exhausted', retryAfterSeconds: null });
    expect((await app.check({ orgId, endpoint: 'embed' })).body.allowed).toBe(true);
  });

  it('answers a batch in order', async () => {
    const orgId = org();
    const { status, body } = await post(`${app.url}/v1/decisions/batch`, {
      checks: [
        { orgId, endpoint: 'generate', model: 'large' },
        { orgId, endpoint: 'classify' },
      ],
    });
    expect(status).toBe(200);
    expect(body.results.map((r: { allowed: boolean }) => r.allowed)).toEqual([false, true]);
  });

  it('rejects bad input with 400 naming the field, and unknown endpoints', async () => {
    const unknown = await app.check({ orgId: org(), endpoint: 'translate' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.problems).toEqual([
      { field: 'endpoint', message: 'endpoint must be one of generate, embed, classify, finetune' },
    ]);
    const bad = await app.check({ orgId: 'has space', endpoint: 'generate', hits: 1001, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: { field: string }) => p.field).sort()).toEqual([
      'extra',
      'hits',
      'orgId',
    ]);
    const batch = await post(`${app.url}/v1/decisions/batch`, {
      checks: [{ orgId: 'a', endpoint: 'generate' }, {}],
    });
    expect(batch.status).toBe(400);
    expect(batch.body.problems[0]).toMatchObject({ field: 'checks[1].orgId', index: 1 });
  });
  it('counts the checks and their answers in its metrics', async () => {
    const series = { method: 'POST', route: '/v1/decisions', status: '200' };
    const before = {
      requests: await metricSum(app.url, 'http_requests_total', series),
      timed: await metricSum(app.url, 'http_request_duration_seconds_count', series),
      under10s: await metricSum(app.url, 'http_request_duration_seconds_bucket', { ...series, le: '+Inf' }),
      invalid: await metricSum(app.url, 'http_requests_total', { ...series, status: '400' }),
      allowed: await metricSum(app.url, 'decisions_total', { outcome: 'allowed' }),
      unmatched: await metricSum(app.url, 'http_requests_total', { route: 'unmatched', status: '404' }),
    };
    const orgId = org();
    for (let i = 0; i < 5; i += 1) expect((await app.check({ orgId, endpoint: 'embed' })).status).toBe(200);
    expect((await app.check({ orgId })).status).toBe(400);
    expect((await fetch(`${app.url}/v1/nowhere`)).status).toBe(404);
    expect(await metricSum(app.url, 'http_requests_total', series)).toBe(before.requests + 5);
    expect(await metricSum(app.url, 'http_request_duration_seconds_count', series)).toBe(before.timed + 5);
    expect(await metricSum(app.url, 'http_request_duration_seconds_bucket', { ...series, le: '+Inf' })).toBe(
      before.under10s + 5,
    );
    expect(await metricSum(app.url, 'http_requests_total', { ...series, status: '400' })).toBe(
      before.invalid + 1,
    );
    expect(await metricSum(app.url, 'decisions_total', { outcome: 'allowed' })).toBe(before.allowed + 5);
    expect(await metricSum(app.url, 'http_requests_total', { route: 'unmatched', status: '404' })).toBe(
      before.unmatched + 1,
    );
  });

  describe('the fast lane of POST /v1/decisions', () => {
    it('answers any body exactly as the Fastify route does', async () => {
      const field = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
      const check = fc.record(
        {
          orgId: fc.oneof(fc.constant('fresh'), fc.string({ maxLength: 8 }), fc.integer()),
          endpoint: fc.constantFrom('generate', 'embed', 'moderate', 'nope', 7),
          hits: field(fc.oneof(fc.integer({ min: -1, max: 2 }), fc.constant(1.5), fc.constant('1'))),
          model: field(fc.constantFrom('small', 'large', 'unknown', '')),
          userId: field(fc.string({ maxLength: 6 })),
          chars: field(fc.oneof(fc.integer({ min: -1, max: 2_000_000 }), fc.constant(1_000_000_001))),
          requestId: field(fc.string({ minLength: 1, maxLength: 10 })),
          extra: field(fc.jsonValue({ maxDepth: 1 })),
        },
        { requiredKeys: [] },
      );
      const body = fc.oneof(
        check.map((value) => {
          // A fresh org per sample: both of its checks see the same limits.
          const fresh =
            value.orgId === 'fresh' ? { ...value, orgId: uniqueName('lane').replace(/\./g, '_') } : value;
          return JSON.stringify(Object.fromEntries(Object.entries(fresh).filter(([, v]) => v !== undefined)));
        }),
        fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
        fc.string({ maxLength: 20 }),
        fc.constantFrom(
          '{"orgId":"a",',
          '{"__proto__":{"x":1},"orgId":"a","endpoint":"embed"}',
          'null',
          '[]',
        ),
      );
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          const lane = await send(app.url, text, 'lane');
          const fastify = await send(app.url, text, 'fastify');
          expect(comparable(lane)).toEqual(comparable(fastify));
        }),
        { numRuns: 150 },
      );
    }, 60_000);

    it('leaves an unknown token to the Fastify route (401) and counts its checks in the route metrics', async () => {
      const before = await metricSum(app.url, 'http_requests_total', {
        route: '/v1/decisions',
        status: '200',
      });
      const orgId = uniqueName('lane').replace(/\./g, '_');
      for (let i = 0; i < 3; i += 1) {
        expect((await send(app.url, JSON.stringify({ orgId, endpoint: 'embed' }), 'lane')).status).toBe(200);
      }
      const refused = await send(app.url, JSON.stringify({ orgId, endpoint: 'embed' }), 'lane', 'wrong');
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'the bearer token is not valid',
      });
      const after = await metricSum(app.url, 'http_requests_total', {
        route: '/v1/decisions',
        status: '200',
      });
      expect(after - before).toBe(3);
    });

    it('judges every token on a kept-alive connection, not only its first', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const body = JSON.stringify({ orgId: uniqueName('conn').replace(/\./g, '_'), endpoint: 'embed' });
      try {
        const answers = [];
        for (const token of ['dev-service', 'dev-service', 'wrong-token', 'dev-analyst', 'dev-service'])
          answers.push(await send(app.url, body, 'lane', token, agent));
        expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 403, 200]);
        expect(new Set(answers.map((a) => a.localPort)).size).toBe(1);
      } finally {
        agent.destroy();
      }
    });
  });
});
