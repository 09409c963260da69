import { ApiClient, queryString, type FetchLike } from './api-client';
import { ApiError, describeError } from './api-error';

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that records each call and answers with the given responses in turn. */
function fakeFetch(...answers: (Response | Error)[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      const answer = answers.shift() ?? new Response('{}', { status: 200 });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const credentials = { token: 'dev-admin', actor: 'ada@metergate.test' };
const header = (call: Call, name: string) => (call.init.headers as Record<string, string>)[name];

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('ApiClient requests', () => {
  it('sends the bearer token to the same origin, never in the URL', async () => {
    const { fetch, calls } = fakeFetch(json(200, { role: 'analyst' }));
    expect(await new ApiClient(credentials, fetch).whoami()).toBe('analyst');
    expect(calls[0].url).toBe('/v1/whoami');
    expect(header(calls[0], 'authorization')).toBe('Bearer dev-admin');
    expect(calls[0].init.credentials).toBe('same-origin');
    expect(calls[0].url).not.toContain('dev-admin');
  });

  it('approves as the signed-in reviewer, with the note only when there is one', async () => {
    const { fetch, calls } = fakeFetch(json(200, {}), json(200, {}));
    const api = new ApiClient(credentials, fetch);
    await api.approve('app/1', 'clear use case');
    await api.approve('app-2', undefined);
    expect(calls.map((c) => [c.init.method, c.url, c.init.body])).toEqual([
      [
        'POST',
        '/v1/applications/app%2F1/approve',
        JSON.stringify({ reviewer: credentials.actor, note: 'clear use case' }),
      ],
      ['POST', '/v1/applications/app-2/approve', JSON.stringify({ reviewer: credentials.actor })],
    ]);
    expect(header(calls[0], 'content-type')).toBe('application/json');
  });

  it('names the admin in X-Actor for changes whose body has no author', async () => {
    const { fetch, calls } = fakeFetch(json(200, {}), json(200, {}), json(200, {}));
    const api = new ApiClient(credentials, fetch);
    await api.suspend('acme', 'guideline 4.2');
    await api.setLimitOverride('acme', 'generate', { perMinute: null, perDay: 250_000 });
    await api.removeLimitOverride('acme', 'generate');
    expect(calls.map((c) => [c.init.method, c.url, header(c, 'x-actor')])).toEqual([
      ['POST', '/v1/orgs/acme/suspend', credentials.actor],
      ['PUT', '/v1/orgs/acme/limits', credentials.actor],
      ['DELETE', '/v1/orgs/acme/limits/generate', credentials.actor],
    ]);
    expect(JSON.parse(calls[1].init.body as string)).toEqual({
      endpoint: 'generate',
      perMinute: null,
      perDay: 250_000,
    });
    expect(calls[2].init.body).toBeUndefined();
  });

  it('asks for CSV with Accept: text/csv and returns the text', async () => {
    const { fetch, calls } = fakeFetch(new Response('orgId,calls\r\nacme,3\r\n', { status: 200 }));
    const csv = await new ApiClient(credentials, fetch).topCsv({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T00:00:00.000Z',
      metric: 'chars',
      limit: 25,
    });
    expect(csv).toBe('orgId,calls\r\nacme,3\r\n');
    expect(header(calls[0], 'accept')).toBe('text/csv');
    expect(calls[0].url).toBe(
      '/v1/usage/top?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-02T00%3A00%3A00.000Z&metric=chars&limit=25',
    );
  });
});

describe('ApiClient errors', () => {
  it('throws the status, message and field problems of a 400', async () => {
    const { fetch } = fakeFetch(
      json(400, {
        statusCode: 400,
        message: 'reason should not be empty',
        problems: [{ field: 'reason', message: 'reason should not be empty' }],
      }),
    );
    const error = await refusal(new ApiClient(credentials, fetch).reject('app-1', ''));
    expect(error).toMatchObject({ status: 400, message: 'reason should not be empty' });
    expect(error.problems).toEqual([{ field: 'reason', message: 'reason should not be empty' }]);
  });

  it('keeps the code of a 409 and says plainly that it is a conflict', async () => {
    const { fetch } = fakeFetch(
      json(409, {
        statusCode: 409,
        code: 'ACCESS.APPLICATION_NOT_PENDING',
        message: 'application app-1 is approved',
      }),
    );
    const error = await refusal(new ApiClient(credentials, fetch).approve('app-1', undefined));
    expect(error).toMatchObject({ status: 409, code: 'ACCESS.APPLICATION_NOT_PENDING' });
    expect(describeError(error)).toBe('Conflict: application app-1 is approved.');
  });

  it('joins a list of messages and falls back to the status text of a body that is not JSON', async () => {
    const { fetch } = fakeFetch(
      json(400, { message: ['from is wrong', 'to is wrong'] }),
      new Response('upstream timed out', { status: 502, statusText: 'Bad Gateway' }),
      new Response('', { status: 500, statusText: 'Internal Server Error' }),
    );
    const api = new ApiClient(credentials, fetch);
    expect((await refusal(api.organization('acme'))).message).toBe('from is wrong; to is wrong');
    expect((await refusal(api.organization('acme'))).message).toBe('upstream timed out');
    expect((await refusal(api.organization('acme'))).message).toBe('Internal Server Error');
  });

  it('turns a network failure into status 0', async () => {
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'));
    const error = await refusal(new ApiClient(credentials, fetch).quota('acme'));
    expect(error).toMatchObject({ status: 0, message: 'Failed to fetch' });
    expect(describeError(error)).toMatch(/^The tier app did not answer \(Failed to fetch\)/);
  });

  it('answers null for a route the tier app does not have yet, and throws other refusals', async () => {
    const { fetch, calls } = fakeFetch(
      json(404, { message: 'Cannot GET /v1/denials' }),
      json(404, { message: 'Cannot GET /v1/orgs/acme/keys' }),
      json(403, { message: 'this requires the role analyst or admin' }),
    );
    const api = new ApiClient(credentials, fetch);
    const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-01T01:00:00.000Z' };
    expect(await api.denials({ ...range, reason: 'rate_limited' })).toBeNull();
    expect(await api.keys('acme')).toBeNull();
    expect((await refusal(api.orgDenials('acme', range))).status).toBe(403);
    expect(calls[0].url).toBe(
      '/v1/denials?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-01T01%3A00%3A00.000Z&reason=rate_limited',
    );
  });

  it("reads denial counts given as denials or as the event's count", async () => {
    const { fetch } = fakeFetch(
      json(200, {
        from: 'f',
        to: 't',
        organizations: [
          { orgId: 'a', denials: 3 },
          { orgId: 'b', count: 2 },
        ],
      }),
      json(200, {
        orgId: 'a',
        from: 'f',
        to: 't',
        series: [{ minute: 'm', reason: 'rate_limited', count: 4 }],
      }),
    );
    const api = new ApiClient(credentials, fetch);
    expect((await api.denials({ from: 'f', to: 't' }))?.organizations.map((o) => o.denials)).toEqual([3, 2]);
    expect((await api.orgDenials('a', { from: 'f', to: 't' }))?.series[0].denials).toBe(4);
  });

  it('reads keys as a list or inside an object', async () => {
    const { fetch } = fakeFetch(json(200, { keys: [{ keyId: 'k1' }] }), json(200, [{ keyId: 'k2' }]));
    const api = new ApiClient(credentials, fetch);
    expect(await api.keys('acme')).toEqual([{ keyId: 'k1' }]);
    expect(await api.keys('acme')).toEqual([{ keyId: 'k2' }]);
  });
});

describe('describeError', () => {
  it.each([
    [
      new ApiError(401, 'the bearer token is not valid'),
      'The token was not accepted. Sign in again with a valid token.',
    ],
    [
      new ApiError(403, 'this requires the role admin'),
      'Your role may not do this (this requires the role admin).',
    ],
    [
      new ApiError(503, 'store down'),
      'The tier app cannot do this right now (store down). Try again shortly.',
    ],
    [new ApiError(500, 'boom'), 'The tier app failed (500): boom.'],
    [new ApiError(400, 'reason should not be empty'), 'reason should not be empty'],
    [new Error('plain'), 'plain'],
  ])('tells %p plainly', (error, message) => {
    expect(describeError(error)).toBe(message);
  });
});

describe('queryString', () => {
  it('leaves out undefined and empty values', () => {
    expect(queryString({ a: 1, b: undefined, c: '', d: 'x y' })).toBe('?a=1&d=x+y');
    expect(queryString({ a: undefined })).toBe('');
  });
});
