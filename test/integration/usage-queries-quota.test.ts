import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyQuotasSync } from '../../apps/tier/src/usage-queries/policy-quotas.sync';
import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, uniqueName } from '../support/test-kafka';
import { Json, call, startTier, uniqueOrg } from './tier-support';

jest.setTimeout(60_000);

const ANALYST = { authorization: 'Bearer dev-analyst' };
const DAY = 86_400_000;

/** A lifetime and two monthly quotas on trial; a monthly quota of one model on production. */
const policy = {
  version: 1,
  defaultTier: 'trial',
  endpoints: ['generate', 'embed', 'classify'],
  models: ['small', 'large'],
  tiers: {
    trial: {
      models: ['small'],
      limits: [
        { name: 'generate-minute', endpoints: ['generate'], unit: 'calls', window: 'PT1M', limit: 60 },
        {
          name: 'text_chars',
          endpoints: ['generate', 'embed'],
          unit: 'chars',
          window: 'lifetime',
          limit: 10_000,
        },
        { name: 'monthly_chars', endpoints: ['generate'], unit: 'chars', window: 'P1M', limit: 3000 },
        { name: 'monthly_calls', endpoints: ['classify'], unit: 'calls', window: 'P1M', limit: 5 },
      ],
    },
    production: {
      models: ['small', 'large'],
      limits: [
        {
          name: 'large_month',
          endpoints: ['generate'],
          models: ['large'],
          unit: 'chars',
          window: 'P1M',
          limit: 5000,
        },
      ],
    },
  },
};

// GET /v1/orgs/{orgId}/quota and the org_quota view against rows of the projections and of reservations
// written directly: lifetime and calendar-month quotas, net of open reservations.
describe('quotas: used, reserved, remaining', () => {
  let db: TestDatabase;
  let tier: RunningApp;
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
  const today = new Date(Math.floor(now.getTime() / DAY) * DAY);
  const lastMonth = new Date(monthStart - DAY);
  const trialOrg = uniqueOrg('trial');
  const prodOrg = uniqueOrg('prod');
  const reservedOut = uniqueOrg('reserved');

  const lifetime = (org: string, endpoint: string, calls: number, input: number, output: number) =>
    db.query(
      `INSERT INTO usage_lifetime (org_id, endpoint, calls, input_chars, output_chars) VALUES ($1, $2, $3, $4, $5)`,
      [org, endpoint, calls, input, output],
    );
  const daily = (org: string, bucket: Date, endpoint: string, model: string, calls: number, chars: number) =>
    db.query(
      `INSERT INTO usage_by_day (org_id, bucket, endpoint, model, calls, input_chars, output_chars)
       VALUES ($1, $2, $3, $4, $5, $6, 0)`,
      [org, bucket, endpoint, model, calls, chars],
    );
  let reservation = 0;
  /** A reservation open for `minutes` more (negative: expired that long ago). */
  const reserve = (org: string, endpoint: string, model: string, chars: number, minutes = 10) =>
    db.query(
      `INSERT INTO reservations (org_id, event_id, endpoint, model, chars, reserved_at, reserved_until)
       VALUES ($1, $2, $3, $4, $5, now(), now() + make_interval(mins => $6))`,
      [org, `r${++reservation}`, endpoint, model, chars, minutes],
    );

  beforeAll(async () => {
    db = await TestDatabase.create('usage_quota');
    const policyPath = join(tmpdir(), `${uniqueName('quota-policy')}.json`);
    writeFileSync(policyPath, JSON.stringify(policy));
    const topic = uniqueName('access.events.v1');
    await createTopic(topic, 3);
    tier = await startTier(db, topic, { ACCESS_POLICY_PATH: policyPath });
    await tier.app.get(PolicyQuotasSync).whenDone();

    // trialOrg: on the default tier (no org_access row).
    await lifetime(trialOrg, 'generate', 10, 5000, 1000);
    await lifetime(trialOrg, 'embed', 4, 1000, 0);
    await lifetime(trialOrg, 'classify', 99, 99_999, 0);
    await daily(trialOrg, today, 'generate', 'small', 2, 2000);
    await daily(trialOrg, today, 'classify', '', 3, 10);
    await daily(trialOrg, today, 'classify', 'small', 1, 10);
    await daily(trialOrg, lastMonth, 'generate', '', 20, 5000);
    await daily(trialOrg, lastMonth, 'classify', '', 10, 10);
    await reserve(trialOrg, 'generate', 'small', 1500);
    await reserve(trialOrg, 'embed', '', 200);
    await reserve(trialOrg, 'classify', '', 50);
    await reserve(trialOrg, 'generate', '', 10_000, -1);
    await reserve(prodOrg, 'generate', '', 7777);

    // prodOrg: on production, with an override adding a monthly quota of calls to large.
    await db.query(
      `INSERT INTO org_access (org_id, tier, status, limit_overrides, version, updated_at)
       VALUES ($1, 'production', 'active', $2, 2, now())`,
      [
        prodOrg,
        JSON.stringify({
          generate: { limits: [{ unit: 'calls', window: 'P1M', limit: 2, model: 'large' }] },
        }),
      ],
    );
    await daily(prodOrg, today, 'generate', 'large', 3, 4000);
    await daily(prodOrg, today, 'generate', 'small', 5, 100);
    await daily(prodOrg, lastMonth, 'generate', 'large', 9, 9000);
    await reserve(prodOrg, 'generate', 'large', 600);
    await reserve(prodOrg, 'generate', 'small', 99);

    // reservedOut: room left by usage alone, none once its open reservations count.
    await lifetime(reservedOut, 'generate', 1, 9000, 0);
    await reserve(reservedOut, 'embed', '', 1000);
  });

  afterAll(async () => {
    await tier?.close();
    await db?.drop();
  });

  const quota = async (orgId: string): Promise<Json> =>
    (await call('GET', `${tier.url}/v1/orgs/${orgId}/quota`, undefined, ANALYST)).body;

  it('counts lifetime usage and this calendar month’s in UTC, less open reservations of the covered endpoints', async () => {
    expect(await quota(trialOrg)).toEqual({
      orgId: trialOrg,
      tier: 'trial',
      status: 'active',
      quotas: [
        {
          name: 'text_chars',
          endpoints: ['generate', 'embed'],
          unit: 'chars',
          window: 'lifetime',
          limit: 10_000,
          used: 7000,
          reserved: 1700,
          remaining: 1300,
          exhausted: false,
        },
        {
          name: 'monthly_chars',
          endpoints: ['generate'],
          unit: 'chars',
          window: 'P1M',
          limit: 3000,
          used: 2000,
          reserved: 1500,
          remaining: 0,
          exhausted: true,
          resetsAt: nextMonth,
        },
        {
          name: 'monthly_calls',
          endpoints: ['classify'],
          unit: 'calls',
          window: 'P1M',
          limit: 5,
          used: 4,
          reserved: 0,
          remaining: 1,
          exhausted: false,
          resetsAt: nextMonth,
        },
      ],
    });
  });

  it('counts a quota of one model in that model’s calls and reservations, overrides included', async () => {
    expect((await quota(prodOrg)).quotas).toEqual([
      {
        name: 'large_month',
        endpoints: ['generate'],
        models: ['large'],
        unit: 'chars',
        window: 'P1M',
        limit: 5000,
        used: 4000,
        reserved: 600,
        remaining: 400,
        exhausted: false,
        resetsAt: nextMonth,
      },
      {
        name: 'generate-large-month',
        endpoints: ['generate'],
        models: ['large'],
        unit: 'calls',
        window: 'P1M',
        limit: 2,
        used: 3,
        reserved: 0,
        remaining: 0,
        exhausted: true,
        resetsAt: nextMonth,
      },
    ]);
  });

  it('org_quota shows each lifetime character quota as the quota API does, reservations included', async () => {
    expect((await quota(reservedOut)).quotas[0]).toMatchObject({
      used: 9000,
      reserved: 1000,
      remaining: 0,
      exhausted: true,
    });
    const client = await db.pool.connect();
    try {
      await client.query('SET ROLE metergate_analyst');
      for (const orgId of [trialOrg, reservedOut, prodOrg]) {
        const { rows } = await client.query<Record<string, unknown>>(
          `SELECT tier, status, quota_name, endpoints, limit_chars::float8 AS limit, used_chars::float8 AS used,
                  reserved_chars::float8 AS reserved, remaining_chars::float8 AS remaining, exhausted
           FROM org_quota WHERE org_id = $1 ORDER BY quota_name`,
          [orgId],
        );
        const api = await quota(orgId);
        const lifetimeChars = (api.quotas as Json[]).filter(
          (q) => q.window === 'lifetime' && q.unit === 'chars' && q.models === undefined,
        );
        expect(rows).toEqual(
          lifetimeChars.map((q) => ({
            tier: api.tier,
            status: api.status,
            quota_name: q.name,
            endpoints: q.endpoints,
            limit: q.limit,
            used: q.used,
            reserved: q.reserved,
            remaining: q.remaining,
            exhausted: q.exhausted,
          })),
        );
        expect(rows).toHaveLength(orgId === prodOrg ? 0 : 1);
      }
    } finally {
      await client.query('RESET ROLE');
      client.release();
    }
  });
});
