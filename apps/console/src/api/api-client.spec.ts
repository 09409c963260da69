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

  it('issues a key as the admin named in X-Actor and returns the answer that holds the secret', async () => {
    const issued = {
      keyId: 'k1',
      key: `mg_trial_${'a'.repeat(33)}`,
      prefix: 'mg_trial_aaaaaaaa',
      purpose: 'trial',
      name: 'ci',
      createdAt: '2026-03-01T10:00:00.000Z',
    };
    const { fetch, calls } = fakeFetch(json(201, issued));
    expect(await new ApiClient(credentials, fetch).issueKey('acme', 'trial', 'ci')).toEqual(issued);
    expect([calls[0].init.method, calls[0].url, header(calls[0], 'x-actor')]).toEqual([
      'POST',
      '/v1/orgs/acme/keys',
      credentials.actor,
    ]);
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ purpose: 'trial', name: 'ci' });
  });

  it("lists keys from the answer's keys, and revokes with the reason in the query string", async () => {
    const key = {
      keyId: 'k/1',
      prefix: 'mg_prod_AbCd1234',
      purpose: 'production',
      name: 'web',
      status: 'active',
      createdBy: 'ada',
      createdAt: '2026-03-01T10:00:00.000Z',
    };
    const { fetch, calls } = fakeFetch(
      json(200, { orgId: 'acme', keys: [key] }),
      json(200, { ...key, status: 'revoked' }),
      json(200, { ...key, status: 'revoked' }),
    );
    const api = new ApiClient(credentials, fetch);
    expect(await api.keys('acme')).toEqual([key]);
    expect((await api.revokeKey('acme', 'k/1', 'leaked in a log')).status).toBe('revoked');
    await api.revokeKey('acme', 'k/1', undefined);
    expect(calls.map((c) => [c.init.method, c.url, c.init.body])).toEqual([
      ['GET', '/v1/orgs/acme/keys', undefined],
      ['DELETE', '/v1/orgs/acme/keys/k%2F1?reason=leaked+in+a+log', undefined],
      ['DELETE', '/v1/orgs/acme/keys/k%2F1', undefined],
    ]);
    expect(header(calls[1], 'x-actor')).toBe(credentials.actor);
  });

  it('asks for the most denied organizations with the reason and limit given, and reads their counts', async () => {
    const answer = {
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-01T01:00:00.000Z',
      organizations: [{ orgId: 'acme', total: 23, byReason: { rate_limited: 20, model_not_allowed: 3 } }],
    };
    const { fetch, calls } = fakeFetch(json(200, answer), json(200, { ...answer, reason: 'rate_limited' }));
    const api = new ApiClient(credentials, fetch);
    expect(await api.denials({ from: answer.from, to: answer.to })).toEqual(answer);
    await api.denials({ from: answer.from, to: answer.to, reason: 'rate_limited', limit: 25 });
    expect(calls.map((c) => c.url)).toEqual([
      '/v1/denials?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-01T01%3A00%3A00.000Z',
      '/v1/denials?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-01T01%3A00%3A00.000Z&reason=rate_limited&limit=25',
    ]);
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

  it('throws a 404 of the keys or denials routes like any other refusal', async () => {
    const { fetch } = fakeFetch(
      json(404, { message: 'Cannot GET /v1/orgs/acme/keys' }),
      json(404, { message: 'Cannot GET /v1/denials' }),
    );
    const api = new ApiClient(credentials, fetch);
    expect((await refusal(api.keys('acme'))).status).toBe(404);
    expect((await refusal(api.denials({ from: 'f', to: 't' }))).status).toBe(404);
  });

  it('keeps the code of a refused production key and says why plainly', async () => {
    const { fetch } = fakeFetch(
      json(409, {
        statusCode: 409,
        code: 'ACCESS.PRODUCTION_KEY_REQUIRES_FULL_ACCESS',
        message:
          'organization acme is on trial, which is limited to testing and experimentation; production keys need full access',
      }),
    );
    const error = await refusal(new ApiClient(credentials, fetch).issueKey('acme', 'production', 'web'));
    expect(error.code).toBe('ACCESS.PRODUCTION_KEY_REQUIRES_FULL_ACCESS');
    expect(describeError(error)).toBe(
      'Conflict: organization acme is on trial, which is limited to testing and experimentation; production keys need full access.',
    );
  });

  it('turns a network failure into status 0', async () => {
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'));
    const error = await refusal(new ApiClient(credentials, fetch).quota('acme'));
    expect(error).toMatchObject({ status: 0, message: 'Failed to fetch' });
    expect(describeError(error)).toMatch(/^The tier app did not answer \(Failed to fetch\)/);
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
