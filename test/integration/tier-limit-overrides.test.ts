import { decodeAccessEventV1 } from '@metergate/contracts';
import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, uniqueName } from '../support/test-kafka';
import { call, readTopic, startProjector, startTier, uniqueOrg } from './tier-support';

jest.setTimeout(60_000);

const ANALYST = { authorization: 'Bearer dev-analyst' };

// Limit overrides of the general form over HTTP, through the outbox to Kafka, into org_access, and the
// quota API reading them back.
describe('limit overrides of the general form', () => {
  let db: TestDatabase;
  let tier: RunningApp;
  let projector: RunningApp;
  const topic = uniqueName('access.events.v1');

  beforeAll(async () => {
    db = await TestDatabase.create('tier_overrides');
    await createTopic(topic, 3);
    tier = await startTier(db, topic);
    projector = await startProjector(db, topic);
  });

  afterAll(async () => {
    await projector?.close();
    await tier?.close();
    await db?.drop();
  });

  const put = (orgId: string, body: unknown) =>
    call('PUT', `${tier.url}/v1/orgs/${orgId}/limits`, body, { 'x-actor': 'ada' });
  const limits = [
    { unit: 'chars', window: 'P1M', limit: 2_000_000, model: 'large' },
    { unit: 'chars', window: 'lifetime', limit: 900_000 },
    { unit: 'calls', window: 'P1D', limit: null },
    { unit: 'chars', window: 'PT1M', limit: 40_000 },
  ];

  it('stores the override as given, answers it, and shows it on the organization', async () => {
    const org = uniqueOrg();
    const set = await put(org, { endpoint: 'generate', perMinute: 600, limits });
    expect(set).toMatchObject({
      status: 200,
      body: { orgId: org, version: 1, limitOverrides: { generate: { perMinute: 600, limits } } },
    });
    const view = await call('GET', `${tier.url}/v1/orgs/${org}`, undefined, ANALYST);
    expect(view.body.limitOverrides).toEqual({ generate: { perMinute: 600, limits } });
    expect(view.body.history[0]).toMatchObject({
      type: 'LimitOverrideSet',
      by: 'ada',
      endpoint: 'generate',
      override: { perMinute: 600, limits },
    });
  });

  it('replaces the whole override of an endpoint, and removes it', async () => {
    const org = uniqueOrg();
    expect((await put(org, { endpoint: 'embed', perMinute: 10, limits })).status).toBe(200);
    const replaced = await put(org, {
      endpoint: 'embed',
      limits: [{ unit: 'calls', window: 'PT10S', limit: 3 }],
    });
    expect(replaced.body.limitOverrides).toEqual({
      embed: { limits: [{ unit: 'calls', window: 'PT10S', limit: 3 }] },
    });
    const removed = await call('DELETE', `${tier.url}/v1/orgs/${org}/limits/embed`);
    expect(removed).toMatchObject({ status: 200, body: { version: 3, limitOverrides: {} } });
  });

  it.each([
    [
      'an unknown model',
      [{ unit: 'chars', window: 'PT1M', limit: 1, model: 'huge' }],
      'limits[0].model',
      'ACCESS.UNKNOWN_MODEL',
    ],
    [
      'a window the policy language does not know',
      [
        { unit: 'chars', window: 'PT1M', limit: 1 },
        { unit: 'chars', window: 'P1Y', limit: 1 },
      ],
      'limits[1].window',
      'ACCESS.INVALID_LIMIT_WINDOW',
    ],
    [
      'two limits for one unit, window and model',
      [
        { unit: 'calls', window: 'PT1H', limit: 1 },
        { unit: 'calls', window: 'PT60M', limit: 2 },
      ],
      'limits[1]',
      'ACCESS.DUPLICATE_LIMIT',
    ],
    ['no limit at all', [], 'limits', 'ACCESS.EMPTY_LIMIT_OVERRIDE'],
    ['a unit that is not one', [{ unit: 'tokens', window: 'PT1M', limit: 1 }], 'limits[0].unit', undefined],
    ['a negative limit', [{ unit: 'calls', window: 'PT1M', limit: -1 }], 'limits[0].limit', undefined],
    ['a missing limit', [{ unit: 'calls', window: 'PT1M' }], 'limits[0].limit', undefined],
    [
      'an unknown field',
      [{ unit: 'calls', window: 'PT1M', limit: 1, burst: 2 }],
      'limits[0].burst',
      undefined,
    ],
  ])('answers 400 naming the field for %s, and changes nothing', async (_case, entries, field, code) => {
    const org = uniqueOrg();
    const response = await put(org, { endpoint: 'generate', limits: entries });
    expect(response.status).toBe(400);
    expect(response.body.problems[0]).toMatchObject({ field });
    if (code) expect(response.body.code).toBe(code);
    expect((await call('GET', `${tier.url}/v1/orgs/${org}`)).body.version).toBe(0);
  });

  it('refuses perMinute beside a limit of calls per PT1M, naming the entry', async () => {
    const response = await put(uniqueOrg(), {
      endpoint: 'generate',
      perMinute: 5,
      limits: [{ unit: 'calls', window: 'PT1M', limit: 10 }],
    });
    expect(response).toMatchObject({ status: 400, body: { code: 'ACCESS.DUPLICATE_LIMIT' } });
    expect(response.body.problems[0].message).toMatch(
      /limits\[0\] has the same unit, window and model as perMinute/,
    );
  });

  it('publishes the override on Kafka as the decision app reads it, and the quota API applies it', async () => {
    const org = uniqueOrg();
    await put(org, { endpoint: 'generate', limits });
    const messages = await readTopic(topic, (seen) => seen.some((m) => m.key === org));
    const [fact] = messages.filter((m) => m.key === org).map((m) => decodeAccessEventV1(m.value).payload);
    expect(fact).toMatchObject({
      kind: 'LimitOverrideSet',
      actor: 'ada',
      endpoint: 'generate',
      override: { limits },
      access: { tier: 'trial', limitOverrides: { generate: { limits } } },
    });

    const overrides = await eventually(async () => {
      const [row] = await db.query<{ limit_overrides: unknown }>(
        'SELECT limit_overrides FROM org_access WHERE org_id = $1',
        [org],
      );
      return row?.limit_overrides;
    });
    expect(overrides).toEqual({ generate: { limits } });

    // The tier's lifetime quota on generate is replaced; the monthly one for large is added.
    const quota = await call('GET', `${tier.url}/v1/orgs/${org}/quota`, undefined, ANALYST);
    const nextMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1));
    expect(quota.body).toEqual({
      orgId: org,
      tier: 'trial',
      status: 'active',
      quotas: [
        {
          name: 'generate_chars',
          endpoints: ['generate'],
          unit: 'chars',
          window: 'lifetime',
          limit: 900_000,
          used: 0,
          reserved: 0,
          remaining: 900_000,
          exhausted: false,
        },
        {
          name: 'generate-large-month-chars',
          endpoints: ['generate'],
          models: ['large'],
          unit: 'chars',
          window: 'P1M',
          limit: 2_000_000,
          used: 0,
          reserved: 0,
          remaining: 2_000_000,
          exhausted: false,
          resetsAt: nextMonth.toISOString(),
        },
      ],
    });

    await call('DELETE', `${tier.url}/v1/orgs/${org}/limits/generate`);
    await eventually(async () => {
      const [row] = await db.query<{ version: number }>('SELECT version FROM org_access WHERE org_id = $1', [
        org,
      ]);
      return Number(row?.version) === 2 || undefined;
    });
    const back = await call('GET', `${tier.url}/v1/orgs/${org}/quota`, undefined, ANALYST);
    expect(back.body.quotas).toEqual([expect.objectContaining({ name: 'generate_chars', limit: 500_000 })]);
  });
});
