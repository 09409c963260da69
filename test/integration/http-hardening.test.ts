import { createHash } from 'node:crypto';
import { UsageLimits } from '@metergate/contracts';
import { bootstrapHttpApp, loadConfig } from '@metergate/platform';
import { DecisionConfig } from '../../apps/decision/src/decision.config';
import { DecisionModule } from '../../apps/decision/src/decision.module';
import { IngestConfig } from '../../apps/ingest/src/ingest.config';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { TierConfig } from '../../apps/tier/src/tier.config';
import { TierModule } from '../../apps/tier/src/tier.module';
import { RunningApp, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, testKafka, uniqueName } from '../support/test-kafka';

type AppName = 'ingest' | 'decision' | 'tier';
type Kind = 'id' | 'text' | 'int' | 'bool' | 'enum' | 'time' | 'list';
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One HTTP endpoint: a valid request, and what kind each field is, so that a bad value can be picked. */
interface Endpoint {
  app: AppName;
  method: Method;
  path: (params: Record<string, string>) => string;
  params: Record<string, string>;
  body?: Record<string, unknown>;
  /** field -> [kind, required]; for a nested body, the fields of the item `wrap` puts in place. */
  fields: Record<string, [Kind, boolean]>;
  wrap?: (item: Record<string, unknown>) => unknown;
  query?: Record<string, keyof typeof BAD_QUERY>;
}

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE usage_by_hour;--",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${jndi:ldap://example.test/a}',
  '{{7*7}}',
  'a\u0000b',
  '🙂'.repeat(70),
];

/** Query strings are text: only values that are wrong as text count (a range may lie anywhere in time). */
const BAD_QUERY: Record<'enum' | 'int' | 'time' | 'id', string[]> = {
  enum: [...INJECTIONS, 'no-such-thing', '1', ''],
  int: ['abc', '1; DROP TABLE x', '-1', '1.5', '1e308', ''],
  time: ['yesterday', '2026-13-45T00:00:00Z', '2026-01-01T00:00:00', '0', ...INJECTIONS],
  id: [...INJECTIONS, 'a'.repeat(65), ''],
};

/** Values that are wrong for a field of each kind (a free text accepts any string, so gets none). */
const BAD: Record<Kind, unknown[]> = {
  id: [...INJECTIONS, '', 'a'.repeat(65), 123, null, [], {}],
  text: [null, 12, true, [], { a: 1 }, 'x'.repeat(6000)],
  int: ['12', 'abc', '1; DROP TABLE x', -1, 1.5, 1e308, -1e308, 2 ** 53, true, [], {}],
  bool: ['true', 1, 0, null, false],
  enum: [...INJECTIONS, 'no-such-thing', 1, null, [], ''],
  time: [
    'yesterday',
    '2026-13-45T00:00:00Z',
    '1999-01-01T00:00:00Z',
    '3000-01-01T00:00:00Z',
    0,
    null,
    ...INJECTIONS,
  ],
  list: [[], 'x', {}, null, 5],
};

const MALFORMED_JSON = [
  '{',
  '{"a": [',
  "{'a': 1}",
  '[1, 2',
  'nul',
  '{"a": 1}}',
  '\u0000',
  '{"a": 1,}',
  '"unterminated',
];
const NOT_OBJECTS = ['[]', '"text"', '42', 'null', 'true'];
const BAD_ORG_IDS = [
  ...INJECTIONS.map(encodeURIComponent),
  'a'.repeat(65),
  '%2e%2e%2f%2e%2e',
  '%00',
  'org%20id',
];

const usageEvent = {
  id: 'h-1',
  orgId: 'hardening-org',
  endpoint: 'generate',
  inputChars: 1,
  outputChars: 1,
  timestamp: new Date().toISOString(),
};
const check = { orgId: 'hardening-org', endpoint: 'generate', hits: 1 };
const application = {
  useCase: 'support',
  intendedUse: 'drafts',
  risks: 'wrong answers',
  commitment: true,
  submittedBy: 'sam@acme.test',
};
const org = { orgId: 'hardening-org' };

const ENDPOINTS: Endpoint[] = [
  {
    app: 'ingest',
    method: 'POST',
    path: () => '/v1/usage',
    params: {},
    fields: {
      id: ['text', true],
      orgId: ['id', true],
      userId: ['id', false],
      endpoint: ['enum', true],
      model: ['text', false],
      inputChars: ['int', true],
      outputChars: ['int', true],
      timestamp: ['time', true],
    },
    body: usageEvent,
    wrap: (item) => ({ events: [item] }),
  },
  {
    app: 'decision',
    method: 'POST',
    path: () => '/v1/decisions',
    params: {},
    fields: { orgId: ['id', true], userId: ['id', false], endpoint: ['enum', true], hits: ['int', false] },
    body: check,
  },
  {
    app: 'decision',
    method: 'POST',
    path: () => '/v1/decisions/batch',
    params: {},
    fields: {
      orgId: ['id', true],
      endpoint: ['enum', true],
      hits: ['int', false],
      requestId: ['text', false],
    },
    body: check,
    wrap: (item) => ({ checks: [item] }),
  },
  {
    app: 'tier',
    method: 'POST',
    path: (p) => `/v1/orgs/${p.orgId}/applications`,
    params: org,
    fields: {
      useCase: ['text', true],
      intendedUse: ['text', true],
      risks: ['text', true],
      commitment: ['bool', true],
      submittedBy: ['text', true],
    },
    body: application,
  },
  {
    app: 'tier',
    method: 'POST',
    path: (p) => `/v1/applications/${p.applicationId}/approve`,
    params: { applicationId: 'no-such-application' },
    fields: { reviewer: ['text', true], note: ['text', false] },
    body: { reviewer: 'rita' },
  },
  {
    app: 'tier',
    method: 'POST',
    path: (p) => `/v1/applications/${p.applicationId}/reject`,
    params: { applicationId: 'no-such-application' },
    fields: { reviewer: ['text', true], reason: ['text', true] },
    body: { reviewer: 'rita', reason: 'no' },
  },
  {
    app: 'tier',
    method: 'PUT',
    path: (p) => `/v1/orgs/${p.orgId}/tier`,
    params: org,
    fields: { tier: ['enum', true], reason: ['text', true] },
    body: { tier: 'production', reason: 'contract' },
  },
  {
    app: 'tier',
    method: 'POST',
    path: (p) => `/v1/orgs/${p.orgId}/suspend`,
    params: org,
    fields: { reason: ['text', true] },
    body: { reason: 'abuse' },
  },
  {
    app: 'tier',
    method: 'PUT',
    path: (p) => `/v1/orgs/${p.orgId}/limits`,
    params: org,
    fields: { endpoint: ['enum', true], perMinute: ['int', false], perDay: ['int', false] },
    body: { endpoint: 'embed', perMinute: 5 },
  },
  { app: 'tier', method: 'POST', path: (p) => `/v1/orgs/${p.orgId}/reinstate`, params: org, fields: {} },
  {
    app: 'tier',
    method: 'DELETE',
    path: (p) => `/v1/orgs/${p.orgId}/limits/${p.endpoint}`,
    params: { ...org, endpoint: 'embed' },
    fields: {},
  },
  { app: 'tier', method: 'GET', path: (p) => `/v1/orgs/${p.orgId}`, params: org, fields: {} },
  {
    app: 'tier',
    method: 'GET',
    path: () => '/v1/applications',
    params: {},
    fields: {},
    query: { status: 'enum', limit: 'int' },
  },
  {
    app: 'tier',
    method: 'GET',
    path: (p) => `/v1/orgs/${p.orgId}/usage`,
    params: org,
    fields: {},
    query: { from: 'time', to: 'time', granularity: 'enum', endpoint: 'id', groupBy: 'enum' },
  },
  { app: 'tier', method: 'GET', path: (p) => `/v1/orgs/${p.orgId}/quota`, params: org, fields: {} },
  {
    app: 'tier',
    method: 'GET',
    path: () => '/v1/usage/top',
    params: {},
    fields: {},
    query: { metric: 'enum', endpoint: 'id', from: 'time', to: 'time', limit: 'int' },
  },
];

interface Malformed {
  app: AppName;
  method: Method;
  path: string;
  /** Raw body text, sent as JSON. */
  body?: string;
  what: string;
}

/** Every malformed request the endpoints above should refuse: a few hundred of them. */
function malformedRequests(): Malformed[] {
  const out: Malformed[] = [];
  for (const e of ENDPOINTS) {
    const validPath = e.path(e.params);
    const wrap = e.wrap ?? ((item: Record<string, unknown>) => item);
    const add = (what: string, body?: unknown, path = validPath) =>
      out.push({
        app: e.app,
        method: e.method,
        path,
        what: `${e.method} ${validPath}: ${what}`,
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });

    for (const [name, value] of Object.entries(e.params)) {
      for (const bad of name === 'orgId' ? BAD_ORG_IDS : ['a'.repeat(300), ...BAD_ORG_IDS.slice(0, 3)]) {
        add(
          `bad path parameter ${name}=${bad.slice(0, 30)}`,
          e.body && wrap(e.body),
          e.path({ ...e.params, [name]: bad }),
        );
      }
      void value;
    }
    if (e.method === 'GET') {
      add('unknown query parameter', undefined, `${validPath}?unexpected=1`);
      add(
        'injection as a query parameter name',
        undefined,
        `${validPath}?${encodeURIComponent("x'; DROP TABLE org_access;--")}=1`,
      );
      for (const [name, kind] of Object.entries(e.query ?? {})) {
        for (const bad of BAD_QUERY[kind]) {
          add(
            `query ${name}=${bad.slice(0, 30)}`,
            undefined,
            `${validPath}?${name}=${encodeURIComponent(bad)}`,
          );
        }
      }
      continue;
    }
    for (const text of MALFORMED_JSON) add(`malformed JSON ${JSON.stringify(text)}`, text);
    for (const text of NOT_OBJECTS) add(`JSON that is not an object: ${text}`, text);
    if (!e.body) {
      add('an unknown field', { unexpected: 1 });
      continue;
    }
    add('an unknown field', wrap({ ...e.body, unexpected: 1 }));
    add('an unknown top-level field', { ...(wrap(e.body) as object), "x'; DROP TABLE outbox;--": 1 });
    add(
      'a body over the size limit',
      wrap({ ...e.body, [Object.keys(e.fields)[0]]: 'x'.repeat(UsageLimits.maxBodyBytes + 1) }),
    );
    for (const [name, [kind, required]] of Object.entries(e.fields)) {
      if (required) {
        const without = { ...e.body };
        delete without[name];
        add(`without ${name}`, wrap(without));
      }
      // null stands for "absent" in an optional field, which is valid.
      for (const bad of BAD[kind].filter((v) => required || v !== null)) {
        add(`${name}=${JSON.stringify(bad).slice(0, 40)}`, wrap({ ...e.body, [name]: bad }));
      }
    }
    if (e.wrap) {
      for (const bad of BAD.list)
        add(`list=${JSON.stringify(bad)}`, e.wrap === ENDPOINTS[0].wrap ? { events: bad } : { checks: bad });
      const many = Array.from({ length: 1001 }, (_, i) => ({ ...e.body, id: `m${i}`, requestId: `m${i}` }));
      add(
        'a list over the limit',
        e.app === 'ingest'
          ? { events: many.map((m) => ({ ...m, requestId: undefined })) }
          : { checks: many.map(({ id, ...c }) => (void id, c)) },
      );
    }
  }
  return out;
}

describe('hardening: malformed requests at every HTTP endpoint', () => {
  let db: TestDatabase;
  const apps = {} as Record<AppName | 'projector', RunningApp>;
  const topics = {
    USAGE_TOPIC: uniqueName('usage.recorded.v1'),
    CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
    ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
  };

  beforeAll(async () => {
    db = await TestDatabase.create('hardening');
    await Promise.all(Object.values(topics).map((topic) => createTopic(topic, 3)));
    const env = testEnv({
      DATABASE_URL: db.url,
      ...topics,
      PROJECTOR_GROUP_ID: uniqueName('projector'),
      DECISION_GRPC_PORT: '0',
    });
    apps.ingest = await startApp(
      'ingest',
      IngestModule.create(loadConfig(IngestConfig, env)),
      UsageLimits.maxBodyBytes,
    );
    apps.decision = await startApp('decision', DecisionModule.create(loadConfig(DecisionConfig, env)));
    apps.tier = await startApp('tier', TierModule.create(loadConfig(TierConfig, env)));
    apps.projector = await startApp('projector', ProjectorModule.create(loadConfig(ProjectorConfig, env)));
  });

  afterAll(async () => {
    for (const app of [apps.projector, apps.tier, apps.decision, apps.ingest]) await app?.close();
    await db?.drop();
  });

  /** What the requests must not change: every projection and store table, and every topic's end offsets. */
  const state = async () => {
    const tables = [
      'usage_by_second',
      'usage_by_minute',
      'usage_by_hour',
      'usage_by_day',
      'usage_lifetime',
      'processed_events',
      'org_access',
      'access_events',
      'access_outbox',
      'access_applications',
    ];
    const rows: Record<string, unknown> = {};
    for (const table of tables) {
      rows[table] = (
        await db.query(
          `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest, count(*)::int AS n FROM ${table} t`,
        )
      )[0];
    }
    const admin = testKafka('hardening').admin();
    await admin.connect();
    try {
      for (const topic of Object.values(topics)) {
        rows[topic] = (await admin.fetchTopicOffsets(topic)).map((p) => `${p.partition}:${p.high}`).sort();
      }
    } finally {
      await admin.disconnect();
    }
    return rows;
  };

  it('answers each with a 4xx that names the problem, stays up, and writes nothing', async () => {
    const requests = malformedRequests();
    expect(requests.length).toBeGreaterThanOrEqual(300);
    const before = await state();

    const failures: string[] = [];
    const send = async (r: Malformed) => {
      const response = await fetch(`${apps[r.app].url}${r.path}`, {
        method: r.method,
        headers: {
          authorization: 'Bearer dev-admin',
          ...(r.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(r.body !== undefined && { body: r.body }),
      });
      const text = await response.text();
      let message: unknown;
      try {
        message = (JSON.parse(text) as { message?: unknown }).message;
      } catch {
        message = undefined;
      }
      if (response.status < 400 || response.status >= 500)
        failures.push(`${r.what} -> ${response.status} ${text.slice(0, 200)}`);
      else if (typeof message !== 'string' || message.length === 0)
        failures.push(`${r.what} -> ${response.status} without a message: ${text.slice(0, 200)}`);
    };
    for (let i = 0; i < requests.length; i += 8) await Promise.all(requests.slice(i, i + 8).map(send));
    expect(failures).toEqual([]);

    for (const app of Object.values(apps)) expect((await fetch(`${app.url}/health`)).status).toBe(200);
    // Anything wrongly accepted would have reached Kafka by now (ingest answers only once it has).
    expect(await state()).toEqual(before);
  });
});

describe('access control on every HTTP endpoint', () => {
  let db: TestDatabase;
  const apps = {} as Record<AppName, RunningApp>;

  beforeAll(async () => {
    db = await TestDatabase.create('access_control');
    const env = testEnv({
      DATABASE_URL: db.url,
      USAGE_TOPIC: uniqueName('usage.recorded.v1'),
      CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
      ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
      DECISION_GRPC_PORT: '0',
      AUTH_TOKENS: `service:svc-secret-1,analyst:sha256:${createHash('sha256').update('ana-secret-1').digest('hex')},admin:adm-secret-1`,
    });
    apps.ingest = await startApp('ingest', IngestModule.create(loadConfig(IngestConfig, env)));
    apps.decision = await startApp('decision', DecisionModule.create(loadConfig(DecisionConfig, env)));
    apps.tier = await startApp('tier', TierModule.create(loadConfig(TierConfig, env)));
  });

  afterAll(async () => {
    for (const app of [apps.tier, apps.decision, apps.ingest]) await app?.close();
    await db?.drop();
  });

  const request = async (e: Endpoint, authorization?: string) => {
    const response = await fetch(`${apps[e.app].url}${e.path(e.params)}`, {
      method: e.method,
      headers: {
        ...(authorization !== undefined && { authorization }),
        ...(e.body && { 'content-type': 'application/json' }),
      },
      ...(e.body && { body: JSON.stringify((e.wrap ?? ((b) => b))(e.body)) }),
    });
    return { status: response.status, body: (await response.json()) as { message?: string } };
  };

  const allowed = (e: Endpoint): string[] =>
    e.app !== 'tier' || (e.path(e.params).endsWith('/applications') && e.method === 'POST')
      ? ['service']
      : e.method === 'GET'
        ? ['analyst']
        : [];

  it.each(ENDPOINTS.map((e) => [`${e.method} ${e.path(e.params)}`, e] as const))(
    '%s: 401 without a valid token, 403 for another role',
    async (_name, e) => {
      for (const authorization of [
        undefined,
        'Bearer wrong-token',
        'svc-secret-1',
        'Basic c3ZjOnNlY3JldA==',
        'Bearer dev-admin',
      ]) {
        const response = await request(e, authorization);
        expect(response.status).toBe(401);
        expect(response.body.message).toMatch(/token/);
      }
      if (!allowed(e).includes('service')) {
        const response = await request(e, 'Bearer svc-secret-1');
        expect(response).toEqual({
          status: 403,
          body: expect.objectContaining({ message: expect.stringContaining('requires the role') }),
        });
      }
    },
  );

  it('lets health, readiness, metrics and the API documentation be read without a token', async () => {
    for (const app of Object.values(apps)) {
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
      expect([200, 503]).toContain((await fetch(`${app.url}/health/ready`)).status);
      expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
      expect((await fetch(`${app.url}/docs-json`)).status).toBe(200);
    }
  });

  it('lets the service token through to ingest, decisions and submissions, and admin anywhere', async () => {
    const ingest = ENDPOINTS[0];
    expect((await request(ingest, 'Bearer svc-secret-1')).status).toBe(202);
    expect((await request(ENDPOINTS[1], 'Bearer svc-secret-1')).status).toBe(200);
    const quota = ENDPOINTS.find((e) => e.path(e.params).endsWith('/quota'))!;
    expect((await request(quota, 'Bearer ana-secret-1')).status).toBe(200);
    expect((await request(quota, 'Bearer adm-secret-1')).status).toBe(200);
  });

  it('refuses to start an app in production without AUTH_TOKENS, naming the variable', async () => {
    const config = loadConfig(IngestConfig, testEnv({ NODE_ENV: 'production', DATABASE_URL: db.url }));
    await expect(bootstrapHttpApp(IngestModule.create(config), { name: 'ingest', port: 0 })).rejects.toThrow(
      /^AUTH_TOKENS must be set when NODE_ENV=production/,
    );
  });
});
