import fc from 'fast-check';
import { IncomingHttpHeaders, request } from 'node:http';
import { uniqueName } from '../support/test-kafka';
import { metricSum } from '../support/metrics';
import { DecisionApp, DecisionStack } from './decision-harness';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * POST /v1/decisions with a raw body: with a Content-Length, as clients send it, the request takes the
 * fast lane; chunked, it goes to the Fastify route. Both must answer alike.
 */
function send(url: string, body: string, via: 'lane' | 'fastify', token = 'dev-service'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/decisions`,
      {
        method: 'POST',
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
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
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

describe('the fast lane of POST /v1/decisions', () => {
  let stack: DecisionStack;
  let app: DecisionApp;

  beforeAll(async () => {
    stack = await DecisionStack.create();
    app = await stack.boot();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

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
      fc.constantFrom('{"orgId":"a",', '{"__proto__":{"x":1},"orgId":"a","endpoint":"embed"}', 'null', '[]'),
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
    const before = await metricSum(app.url, 'http_requests_total', { route: '/v1/decisions', status: '200' });
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
    const after = await metricSum(app.url, 'http_requests_total', { route: '/v1/decisions', status: '200' });
    expect(after - before).toBe(3);
  });
});
