import { UsageLimits } from '@metergate/contracts';
import { loadConfig } from '@metergate/platform';
import { IngestConfig } from '../../apps/ingest/src/ingest.config';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { TierConfig } from '../../apps/tier/src/tier.config';
import { TierModule } from '../../apps/tier/src/tier.module';
import { PolicyQuotasSync } from '../../apps/tier/src/usage-queries/policy-quotas.sync';
import { RunningApp, postJson, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { eventually, uniqueName } from '../support/test-kafka';

interface Sent {
  id: string;
  orgId: string;
  endpoint: string;
  userId?: string;
  model?: string;
  inputChars: number;
  outputChars: number;
  timestamp: string;
}

type Granularity = 'minute' | 'hour' | 'day';
const UNIT_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const truncate = (at: string, g: Granularity) =>
  new Date(Math.floor(Date.parse(at) / UNIT_MS[g]) * UNIT_MS[g]).toISOString();

const ANALYST = { authorization: 'Bearer dev-analyst' };
const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();

interface Point {
  bucket: string;
  endpoint?: string;
  userId?: string | null;
  model?: string | null;
  calls: number;
  inputChars: number;
  outputChars: number;
}

/** The series the API should answer, computed from the events sent, independently of the projector. */
function expectedSeries(
  events: Sent[],
  orgId: string,
  granularity: Granularity,
  from: string,
  to: string,
  groupBy?: 'endpoint' | 'user' | 'model',
  endpoint?: string,
) {
  const points = new Map<string, Point>();
  for (const e of events) {
    const bucket = truncate(e.timestamp, granularity);
    if (e.orgId !== orgId || bucket < from || bucket >= to) continue;
    if (endpoint !== undefined && e.endpoint !== endpoint) continue;
    const grouped =
      groupBy === 'endpoint'
        ? { endpoint: e.endpoint }
        : groupBy === 'user'
          ? { userId: e.userId ?? null }
          : groupBy === 'model'
            ? { model: e.model ?? null }
            : {};
    const dimension = { ...(endpoint !== undefined && { endpoint }), ...grouped };
    const key = `${bucket}|${JSON.stringify(Object.values(grouped)[0] ?? '')}`;
    const point = points.get(key) ?? { bucket, ...dimension, calls: 0, inputChars: 0, outputChars: 0 };
    point.calls += 1;
    point.inputChars += e.inputChars;
    point.outputChars += e.outputChars;
    points.set(key, point);
  }
  const field = groupBy === 'user' ? 'userId' : groupBy;
  const dimensionOf = (p: Point) => (field && p[field]) ?? '';
  return [...points.values()].sort((a, b) =>
    a.bucket === b.bucket ? (dimensionOf(a) < dimensionOf(b) ? -1 : 1) : a.bucket < b.bucket ? -1 : 1,
  );
}

// The three apps in-process on one database: events go in through ingest and Kafka, come out of the tier app.
describe('analysts: usage queries agree with the events ingested', () => {
  let db: TestDatabase;
  let ingest: RunningApp;
  let projector: RunningApp;
  let tier: RunningApp;
  const orgA = uniqueName('orga').replace(/\./g, '-');
  const orgB = uniqueName('orgb').replace(/\./g, '-');
  const orgC = uniqueName('orgc').replace(/\./g, '-');
  const hour = (n: number) => n * 3_600_000;
  // Three days back, on a whole hour, so that hourly and daily buckets hold several events each.
  const base = Math.floor((Date.now() - hour(72)) / hour(1)) * hour(1);
  const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
  const recent = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

  let n = 0;
  const ev = (orgId: string, timestamp: string, fields: Partial<Sent> = {}): Sent => ({
    id: `e${++n}`,
    orgId,
    endpoint: 'generate',
    inputChars: 100,
    outputChars: 50,
    timestamp,
    ...fields,
  });

  const events: Sent[] = [
    ev(orgA, at(5 * 60_000), { userId: 'alice', model: 'small', inputChars: 120, outputChars: 30 }),
    ev(orgA, at(6 * 60_000), { userId: 'bob', model: 'medium', inputChars: 200, outputChars: 80 }),
    ev(orgA, at(6 * 60_000 + 500), { userId: 'bob', model: 'medium', inputChars: 1, outputChars: 2 }),
    ev(orgA, at(hour(1) + 10_000), { endpoint: 'embed', inputChars: 30, outputChars: 0 }),
    ev(orgA, at(hour(1) + 20_000), { endpoint: 'classify', userId: 'alice', inputChars: 7, outputChars: 1 }),
    ev(orgA, at(hour(25)), { userId: 'alice', model: 'small', inputChars: 999, outputChars: 1 }),
    ev(orgA, at(hour(49) + 1), { model: '=cmd', inputChars: 5, outputChars: 5 }),
    ev(orgA, recent(90), { userId: 'carol', inputChars: 11, outputChars: 12 }),
    ev(orgA, recent(90), { userId: 'carol', inputChars: 13, outputChars: 14 }),
    ev(orgA, recent(30), {
      endpoint: 'embed',
      userId: 'dave',
      model: 'small',
      inputChars: 15,
      outputChars: 0,
    }),
    ev(orgB, at(5 * 60_000), { inputChars: 400_000, outputChars: 200_000 }),
    ev(orgB, at(hour(2)), { endpoint: 'embed', inputChars: 10, outputChars: 0 }),
    ev(orgC, at(hour(3)), { endpoint: 'embed', inputChars: 1, outputChars: 1 }),
    ev(orgC, at(hour(3) + 1), { endpoint: 'embed', inputChars: 1, outputChars: 1 }),
    ev(orgC, at(hour(3) + 2), { endpoint: 'embed', inputChars: 1, outputChars: 1 }),
  ];

  const get = async (path: string, headers: Record<string, string> = ANALYST) => {
    const response = await fetch(`${tier.url}${path}`, { headers });
    const text = await response.text();
    const json = response.headers.get('content-type')?.startsWith('application/json');
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: json ? JSON.parse(text) : text,
    };
  };

  beforeAll(async () => {
    db = await TestDatabase.create('usage_queries');
    const env = testEnv({
      DATABASE_URL: db.url,
      USAGE_TOPIC: uniqueName('usage.recorded.v1'),
      CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
      ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
    });
    ingest = await startApp(
      'ingest',
      IngestModule.create(loadConfig(IngestConfig, env)),
      UsageLimits.maxBodyBytes,
    );
    projector = await startApp(
      'projector',
      ProjectorModule.create(
        loadConfig(ProjectorConfig, { ...env, PROJECTOR_GROUP_ID: uniqueName('projector') }),
      ),
    );
    tier = await startApp('tier', TierModule.create(loadConfig(TierConfig, env)));

    const sent = await postJson(
      `${ingest.url}/v1/usage`,
      { events },
      { authorization: 'Bearer dev-service' },
    );
    expect(sent).toMatchObject({ status: 202, body: { accepted: events.length } });
    await eventually(async () => {
      const [row] = await db.query<{ calls: string }>(
        'SELECT coalesce(sum(calls), 0) AS calls FROM usage_lifetime',
      );
      return Number(row.calls) === events.length || undefined;
    });
  });

  afterAll(async () => {
    await tier?.close();
    await projector?.close();
    await ingest?.close();
    await db?.drop();
  });

  const from = at(0);
  const to = new Date(Date.now() + 60_000).toISOString();
  const day = (d: string) => truncate(d, 'day');

  it.each([
    ['hour', undefined, undefined],
    ['hour', 'endpoint', undefined],
    ['hour', 'user', undefined],
    ['hour', 'model', undefined],
    ['hour', undefined, 'generate'],
    ['hour', 'user', 'classify'],
    ['day', undefined, undefined],
    ['day', 'endpoint', undefined],
    ['day', 'model', 'generate'],
  ] as const)(
    'granularity=%s groupBy=%s endpoint=%s: every bucket and figure',
    async (granularity, groupBy, endpoint) => {
      const rangeFrom = granularity === 'day' ? day(from) : from;
      const query = new URLSearchParams({ granularity, from: rangeFrom, to });
      if (groupBy) query.set('groupBy', groupBy);
      if (endpoint) query.set('endpoint', endpoint);
      const response = await get(`/v1/orgs/${orgA}/usage?${query.toString()}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        orgId: orgA,
        granularity,
        series: expectedSeries(events, orgA, granularity, rangeFrom, to, groupBy, endpoint),
      });
      expect(response.body.series.length).toBeGreaterThan(0);
    },
  );

  it('granularity=minute over the last two hours, by endpoint', async () => {
    const minuteFrom = new Date(Date.now() - hour(2)).toISOString();
    const query = new URLSearchParams({ granularity: 'minute', from: minuteFrom, to, groupBy: 'endpoint' });
    const response = await get(`/v1/orgs/${orgA}/usage?${query.toString()}`);
    expect(response.status).toBe(200);
    const expected = expectedSeries(events, orgA, 'minute', truncate(minuteFrom, 'minute'), to, 'endpoint');
    // A bucket starting before `from` is not in the range: drop the first minute when `from` is mid-minute.
    expect(response.body.series).toEqual(expected.filter((p) => p.bucket >= minuteFrom));
    expect((response.body.series as Point[]).map((p) => p.calls)).toEqual([2, 1]);
  });

  it.each(['user', 'model'] as const)(
    'granularity=minute over the last two hours, by %s: minute buckets keep both',
    async (groupBy) => {
      const minuteFrom = new Date(Date.now() - hour(2)).toISOString();
      const query = new URLSearchParams({ granularity: 'minute', from: minuteFrom, to, groupBy });
      const response = await get(`/v1/orgs/${orgA}/usage?${query.toString()}`);
      expect(response.status).toBe(200);
      const expected = expectedSeries(events, orgA, 'minute', truncate(minuteFrom, 'minute'), to, groupBy);
      expect(response.body.series).toEqual(expected.filter((p) => p.bucket >= minuteFrom));
      const field = groupBy === 'user' ? 'userId' : 'model';
      expect((response.body.series as Point[]).map((p) => p[field])).toEqual(
        groupBy === 'user' ? ['carol', 'dave'] : [null, 'small'],
      );
    },
  );

  it('the range is half-open: buckets starting at from count, those starting at to do not', async () => {
    const query = new URLSearchParams({ granularity: 'hour', from: at(hour(1)), to: at(hour(2)) });
    const response = await get(`/v1/orgs/${orgA}/usage?${query.toString()}`);
    expect(response.body.series).toEqual([{ bucket: at(hour(1)), calls: 2, inputChars: 37, outputChars: 1 }]);
  });

  it('answers CSV with a header row for Accept: text/csv, formulas defused', async () => {
    const query = new URLSearchParams({ granularity: 'day', from: day(from), to, groupBy: 'model' });
    const response = await get(`/v1/orgs/${orgA}/usage?${query.toString()}`, {
      ...ANALYST,
      accept: 'text/csv',
    });
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/csv/);
    const expected = expectedSeries(events, orgA, 'day', day(from), to, 'model');
    const lines = (response.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('bucket,model,calls,inputChars,outputChars');
    expect(lines.slice(1)).toEqual(
      expected.map((p) => {
        const model = p.model === null ? '' : p.model === '=cmd' ? `"'=cmd"` : (p.model ?? '');
        return [p.bucket, model, p.calls, p.inputChars, p.outputChars].join(',');
      }),
    );
  });

  it('answers 400 with the largest allowed range when the range is too large for the granularity', async () => {
    const query = new URLSearchParams({ granularity: 'minute', from, to });
    const response = await get(`/v1/orgs/${orgA}/usage?${query.toString()}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      maxRange: 'P1D',
      problems: [
        {
          field: 'to',
          message: 'the range from from to to may span at most 1 day (P1D) for granularity=minute',
        },
      ],
    });
  });

  it.each([
    ['granularity=week', 'granularity must be one of minute, hour, day'],
    ['from=yesterday', 'from must be an RFC 3339 time'],
    ['from=2026-01-01T00:00:00', 'from must be an RFC 3339 time'],
    ['from=2026-02-30T00:00:00Z&to=2026-03-03T00:00:00Z', 'from must be an RFC 3339 time'],
    ['from=2026-03-02T00:00:00Z&to=2026-03-02T24:00:00Z', 'to must be an RFC 3339 time'],
    [`from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, 'from must be before to'],
    ['granularity=minute&groupBy=key', 'groupBy=key needs granularity hour or day'],
    ['groupBy=team', 'groupBy must be one of endpoint, user, model, key'],
    ['endpoint=%27%3B%20DROP%20TABLE%20usage_by_hour%3B--', 'endpoint must be'],
    ['extra=1', 'property extra should not exist'],
  ])('answers 400 naming the problem for %s', async (query, message) => {
    const response = await get(`/v1/orgs/${orgA}/usage?${query.toString()}`);
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(message);
  });

  it('reports quotas against lifetime characters: used, remaining, exhausted, with tier and status', async () => {
    const generateChars = (orgId: string) =>
      events
        .filter((e) => e.orgId === orgId && e.endpoint === 'generate')
        .reduce((sum, e) => sum + e.inputChars + e.outputChars, 0);
    const quota = {
      name: 'generate_chars',
      endpoints: ['generate'],
      unit: 'chars',
      window: 'lifetime',
      limit: 500_000,
    };
    expect((await get(`/v1/orgs/${orgA}/quota`)).body).toEqual({
      orgId: orgA,
      tier: 'trial',
      status: 'active',
      quotas: [
        {
          ...quota,
          used: generateChars(orgA),
          reserved: 0,
          remaining: 500_000 - generateChars(orgA),
          exhausted: false,
        },
      ],
    });
    expect((await get(`/v1/orgs/${orgB}/quota`)).body).toEqual({
      orgId: orgB,
      tier: 'trial',
      status: 'active',
      quotas: [{ ...quota, used: 600_000, reserved: 0, remaining: 0, exhausted: true }],
    });
  });

  it('ranks organizations by calls or characters in the range, with CSV', async () => {
    const totals = (orgId: string, endpoint?: string) => {
      const mine = events.filter(
        (e) => e.orgId === orgId && (endpoint === undefined || e.endpoint === endpoint),
      );
      const inputChars = mine.reduce((s, e) => s + e.inputChars, 0);
      const outputChars = mine.reduce((s, e) => s + e.outputChars, 0);
      return { orgId, calls: mine.length, inputChars, outputChars, chars: inputChars + outputChars };
    };
    const byCalls = await get(`/v1/usage/top?${qs({ metric: 'calls', from, to })}`);
    expect(byCalls.body).toEqual({
      metric: 'calls',
      from,
      to,
      organizations: [totals(orgA), totals(orgC), totals(orgB)],
    });
    const byChars = await get(`/v1/usage/top?${qs({ metric: 'chars', from, to, limit: '2' })}`);
    expect(byChars.body.organizations).toEqual([totals(orgB), totals(orgA)]);
    const embed = await get(`/v1/usage/top?${qs({ endpoint: 'embed', from, to })}`);
    expect(embed.body.organizations).toEqual([
      totals(orgC, 'embed'),
      totals(orgA, 'embed'),
      totals(orgB, 'embed'),
    ]);

    const csv = await get(`/v1/usage/top?${qs({ metric: 'chars', from, to, limit: '1' })}`, {
      ...ANALYST,
      accept: 'text/csv',
    });
    const b = totals(orgB);
    expect(csv.body).toBe(
      `orgId,calls,inputChars,outputChars,chars\r\n${orgB},${b.calls},${b.inputChars},${b.outputChars},${b.chars}\r\n`,
    );
  });

  it('answers 400 for a top range over a year and a bad limit', async () => {
    const old = new Date(Date.now() - 400 * 86_400_000).toISOString();
    expect((await get(`/v1/usage/top?from=${encodeURIComponent(old)}`)).body).toMatchObject({
      statusCode: 400,
      maxRange: 'P366D',
    });
    expect((await get('/v1/usage/top?limit=0')).body.message).toContain('limit must be at least 1');
    expect((await get('/v1/usage/top?limit=1e9')).status).toBe(400);
  });

  it('the SQL views give the same figures, and the analyst role reads them but nothing else', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('SET ROLE metergate_analyst');
      const hourly = await client.query<{
        bucket: Date;
        user_id: string | null;
        calls: string;
        total: string;
      }>(
        `SELECT bucket, user_id, sum(calls) AS calls, sum(total_chars) AS total
         FROM usage_hourly WHERE org_id = $1 AND bucket >= $2 AND bucket < $3
         GROUP BY bucket, user_id ORDER BY bucket, user_id NULLS FIRST`,
        [orgA, from, to],
      );
      const expected = expectedSeries(events, orgA, 'hour', from, to, 'user');
      expect(
        hourly.rows.map((r) => ({
          bucket: r.bucket.toISOString(),
          userId: r.user_id,
          calls: Number(r.calls),
          chars: Number(r.total),
        })),
      ).toEqual(
        expected.map((p) => ({
          bucket: p.bucket,
          userId: p.userId,
          calls: p.calls,
          chars: p.inputChars + p.outputChars,
        })),
      );
      const totals = await client.query<{ calls: string }>('SELECT sum(calls) AS calls FROM usage_totals');
      expect(Number(totals.rows[0].calls)).toBe(events.length);
      await client.query('SELECT * FROM usage_daily, org_access_current LIMIT 1');

      await expect(client.query('SELECT * FROM usage_by_hour LIMIT 1')).rejects.toThrow(/permission denied/);
      await expect(client.query('SELECT * FROM processed_events LIMIT 1')).rejects.toThrow(
        /permission denied/,
      );
      await expect(client.query(`DELETE FROM usage_hourly WHERE org_id = $1`, [orgA])).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await client.query('RESET ROLE');
      client.release();
    }
  });

  it('exposes events ingested and the outbox backlog at /metrics, without a token', async () => {
    const ingestMetrics = await (await fetch(`${ingest.url}/metrics`)).text();
    const generate = events.filter((e) => e.endpoint === 'generate').length;
    expect(ingestMetrics).toMatch(
      new RegExp(`^usage_events_ingested_total\\{endpoint="generate"\\} ${generate}$`, 'm'),
    );
    const tierMetrics = await (await fetch(`${tier.url}/metrics`)).text();
    expect(tierMetrics).toMatch(/^metergate_access_outbox_unsent 0$/m);
  });

  it('org_quota gives the figures of the quota API, to the analyst role', async () => {
    await tier.app.get(PolicyQuotasSync).whenDone();
    const client = await db.pool.connect();
    try {
      await client.query('SET ROLE metergate_analyst');
      for (const orgId of [orgA, orgB, orgC]) {
        const { rows } = await client.query<Record<string, unknown>>(
          `SELECT tier, status, quota_name, endpoints, limit_chars::float8 AS limit, used_chars::float8 AS used,
                  remaining_chars::float8 AS remaining, exhausted
           FROM org_quota WHERE org_id = $1 ORDER BY quota_name`,
          [orgId],
        );
        const api = (await get(`/v1/orgs/${orgId}/quota`)).body as {
          tier: string;
          status: string;
          quotas: {
            name: string;
            endpoints: string[];
            limit: number;
            used: number;
            remaining: number;
            exhausted: boolean;
          }[];
        };
        expect(rows).toEqual(
          api.quotas.map((q) => ({
            tier: api.tier,
            status: api.status,
            quota_name: q.name,
            endpoints: q.endpoints,
            limit: q.limit,
            used: q.used,
            remaining: q.remaining,
            exhausted: q.exhausted,
          })),
        );
        expect(rows).toHaveLength(1);
      }
    } finally {
      await client.query('RESET ROLE');
      client.release();
    }
  });
});
