import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, uniqueName } from '../support/test-kafka';
import { call, startTier, uniqueOrg } from './tier-support';

jest.setTimeout(60_000);

const ANALYST = { authorization: 'Bearer dev-analyst' };
const HOUR = 3_600_000;

interface Point {
  bucket: string;
  endpoint?: string;
  keyId: string | null;
  calls: number;
  inputChars: number;
  outputChars: number;
}

interface Row {
  bucket: string;
  endpoint: string;
  userId: string;
  model: string;
  keyId: string;
  calls: number;
  inputChars: number;
  outputChars: number;
}

// groupBy=key over the hourly and daily rollups, as the projector writes them (rows inserted directly).
describe('analysts: usage by API key', () => {
  let db: TestDatabase;
  let tier: RunningApp;
  const org = uniqueOrg('keys');
  const other = uniqueOrg('other');
  const day = Math.floor((Date.now() - 3 * 24 * HOUR) / (24 * HOUR)) * 24 * HOUR;
  const at = (hours: number) => new Date(day + hours * HOUR).toISOString();
  const row = (bucketHours: number, fields: Partial<Row>): Row => ({
    bucket: at(bucketHours),
    endpoint: 'generate',
    userId: '',
    model: '',
    keyId: '',
    calls: 1,
    inputChars: 10,
    outputChars: 5,
    ...fields,
  });
  const hourly: Row[] = [
    row(1, { keyId: 'key-a', calls: 3, inputChars: 300, outputChars: 30 }),
    row(1, { keyId: 'key-a', endpoint: 'embed', userId: 'ann', calls: 2, inputChars: 20, outputChars: 0 }),
    row(1, { keyId: 'key-b', model: 'small', calls: 1, inputChars: 7, outputChars: 1 }),
    row(1, { calls: 4, inputChars: 40, outputChars: 4 }),
    row(2, { keyId: 'key-b', calls: 5, inputChars: 50, outputChars: 5 }),
    row(26, { keyId: 'key-a', calls: 6, inputChars: 60, outputChars: 6 }),
  ];

  beforeAll(async () => {
    db = await TestDatabase.create('usage_keys');
    const topic = uniqueName('access.events.v1');
    await createTopic(topic, 3);
    tier = await startTier(db, topic);
    for (const [table, unit] of [
      ['usage_by_hour', HOUR],
      ['usage_by_day', 24 * HOUR],
    ] as const) {
      for (const r of [...hourly, row(1, { keyId: 'key-a', calls: 100 })].map((r, i, all) =>
        // The last row is another organization's, which no answer may include.
        i === all.length - 1 ? { ...r, org: other } : { ...r, org },
      )) {
        const bucket = new Date(Math.floor(Date.parse(r.bucket) / unit) * unit);
        await db.query(
          `INSERT INTO ${table} AS t (org_id, bucket, endpoint, user_id, model, key_id, calls, input_chars, output_chars)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (org_id, bucket, endpoint, user_id, model, key_id) DO UPDATE
             SET calls = t.calls + excluded.calls, input_chars = t.input_chars + excluded.input_chars,
                 output_chars = t.output_chars + excluded.output_chars`,
          [r.org, bucket, r.endpoint, r.userId, r.model, r.keyId, r.calls, r.inputChars, r.outputChars],
        );
      }
    }
  });

  afterAll(async () => {
    await tier?.close();
    await db?.drop();
  });

  /** The series the API should answer, summed from the rows independently of the SQL. */
  function expected(unitMs: number, endpoint?: string): Point[] {
    const points = new Map<string, Point>();
    for (const r of hourly) {
      if (endpoint !== undefined && r.endpoint !== endpoint) continue;
      const bucket = new Date(Math.floor(Date.parse(r.bucket) / unitMs) * unitMs).toISOString();
      const key = `${bucket}|${r.keyId}`;
      const point = points.get(key) ?? {
        bucket,
        ...(endpoint !== undefined && { endpoint }),
        keyId: r.keyId || null,
        calls: 0,
        inputChars: 0,
        outputChars: 0,
      };
      point.calls += r.calls;
      point.inputChars += r.inputChars;
      point.outputChars += r.outputChars;
      points.set(key, point);
    }
    return [...points.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p);
  }

  const usage = (query: Record<string, string>, headers: Record<string, string> = ANALYST) =>
    call(
      'GET',
      `${tier.url}/v1/orgs/${org}/usage?${new URLSearchParams(query).toString()}`,
      undefined,
      headers,
    );
  const from = at(0);
  const to = at(48);

  it.each([
    ['hour', HOUR, undefined],
    ['day', 24 * HOUR, undefined],
    ['hour', HOUR, 'generate'],
  ] as const)(
    'granularity=%s: one point per bucket and key, null for calls without one',
    async (g, unit, ep) => {
      const response = await usage({
        granularity: g,
        from,
        to,
        groupBy: 'key',
        ...(ep !== undefined && { endpoint: ep }),
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ orgId: org, granularity: g, series: expected(unit, ep) });
      expect((response.body.series as Point[]).map((p) => p.keyId)).toContain(null);
    },
  );

  it('answers CSV with a keyId column', async () => {
    const response = await fetch(
      `${tier.url}/v1/orgs/${org}/usage?${new URLSearchParams({ granularity: 'day', from, to, groupBy: 'key' }).toString()}`,
      { headers: { ...ANALYST, accept: 'text/csv' } },
    );
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('bucket,keyId,calls,inputChars,outputChars');
    expect(lines.slice(1)).toEqual(
      expected(24 * HOUR).map((p) =>
        [p.bucket, p.keyId ?? '', p.calls, p.inputChars, p.outputChars].join(','),
      ),
    );
  });

  it('refuses groupBy=key at minute with a 400 naming groupBy: minute buckets carry no key', async () => {
    const minuteFrom = new Date(Date.now() - HOUR).toISOString();
    const response = await usage({ granularity: 'minute', from: minuteFrom, groupBy: 'key' });
    expect(response.status).toBe(400);
    expect(response.body.problems).toEqual([
      { field: 'groupBy', message: 'groupBy=key needs granularity hour or day' },
    ]);
  });

  it('the analysts’ views show key_id, null for calls without one', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('SET ROLE metergate_analyst');
      const { rows } = await client.query<{ key_id: string | null; calls: string }>(
        `SELECT key_id, sum(calls) AS calls FROM usage_hourly WHERE org_id = $1
         GROUP BY key_id ORDER BY key_id NULLS FIRST`,
        [org],
      );
      expect(rows.map((r) => [r.key_id, Number(r.calls)])).toEqual([
        [null, 4],
        ['key-a', 11],
        ['key-b', 6],
      ]);
      const daily = await client.query<{ calls: string }>(
        `SELECT sum(calls) AS calls FROM usage_daily WHERE org_id = $1 AND key_id = 'key-a'`,
        [org],
      );
      expect(Number(daily.rows[0].calls)).toBe(11);
    } finally {
      await client.query('RESET ROLE');
      client.release();
    }
  });
});
