import { AppProcess } from '../support/app-process';
import { builtApps, isolatedStackEnv } from '../support/built-stack';
import { TestDatabase } from '../support/test-database';
import { eventually, uniqueName } from '../support/test-kafka';

const MINUTE_MS = 60_000;

interface Body {
  organizations: { orgId: string }[];
  series: { minute: string; reason: string; count: number }[];
}

async function get(url: string, token = 'dev-analyst', accept = 'application/json') {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept } });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: accept === 'text/csv' ? undefined : (JSON.parse(text) as Body),
  };
}

async function check(decisionUrl: string, orgId: string, model?: string) {
  const response = await fetch(`${decisionUrl}/v1/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer dev-service' },
    body: JSON.stringify({ orgId, endpoint: 'generate', hits: 1, ...(model && { model }) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { allowed: boolean; reason: string | null };
}

// The built decision, projector and tier apps as separate processes, as `npm start` runs them: a denial
// answered by the decision API reaches the analysts' denial queries through Kafka and PostgreSQL.
describe('denials, from the decision API to the analysts', () => {
  let db: TestDatabase;
  let apps: Record<'projector' | 'decision' | 'tier', AppProcess>;
  const runId = uniqueName('o').replace(/\./g, '-');
  const hammering = `hammer-${runId}`;
  const wrongModel = `wrong-model-${runId}`;

  beforeAll(async () => {
    db = await TestDatabase.create('denials');
    apps = await builtApps(['projector', 'decision', 'tier'], isolatedStackEnv(db));
    Object.values(apps).forEach((app) => app.start());
    await Promise.all(Object.values(apps).map((app) => app.waitReady()));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(apps ?? {}).map((app) => app.stop('SIGKILL')));
    await db?.drop();
  });

  it('counts the denials of an organization over its rate limit, per minute, once the minute is over', async () => {
    // The checks must all fall in one minute, so that its count is what the API answered: start early in one.
    if (Date.now() % MINUTE_MS > 45_000) {
      await new Promise((resolve) => setTimeout(resolve, MINUTE_MS - (Date.now() % MINUTE_MS) + 100));
    }
    const startedAt = Date.now();
    // The trial tier allows 60 generate calls a minute; the model check comes before the rate windows.
    const answers: { allowed: boolean; reason: string | null }[] = [];
    for (let i = 0; i < 80; i += 1) answers.push(await check(apps.decision.url, hammering));
    for (let i = 0; i < 3; i += 1) answers.push(await check(apps.decision.url, hammering, 'large'));
    const endedAt = Date.now();
    const minuteMs = startedAt - (startedAt % MINUTE_MS);
    expect(endedAt - (endedAt % MINUTE_MS)).toBe(minuteMs);
    const denied = (reason: string) => answers.filter((a) => !a.allowed && a.reason === reason).length;
    expect(answers.filter((a) => a.allowed)).toHaveLength(60);
    expect(denied('rate_limited')).toBe(20);
    expect(denied('model_not_allowed')).toBe(3);

    const from = new Date(minuteMs - 3_600_000).toISOString();
    const top = await eventually(
      async () => {
        const { body } = await get(`${apps.tier.url}/v1/denials?reason=rate_limited&from=${from}&limit=1000`);
        return (body as { organizations: { orgId: string }[] }).organizations.find(
          (o) => o.orgId === hammering,
        );
      },
      MINUTE_MS + 30_000,
      500,
    );
    expect(top).toEqual({ orgId: hammering, total: 20, byReason: { rate_limited: 20 } });

    const all = await get(`${apps.tier.url}/v1/denials?from=${from}&limit=1000`);
    expect(all.body?.organizations).toContainEqual({
      orgId: hammering,
      total: 23,
      byReason: { rate_limited: 20, model_not_allowed: 3 },
    });

    const minute = new Date(minuteMs).toISOString();
    const series = await get(`${apps.tier.url}/v1/orgs/${hammering}/denials?from=${from}`);
    expect(series.status).toBe(200);
    expect(series.body).toMatchObject({
      orgId: hammering,
      series: [
        { minute, reason: 'model_not_allowed', count: 3 },
        { minute, reason: 'rate_limited', count: 20 },
      ],
    });
    const csv = await get(
      `${apps.tier.url}/v1/orgs/${hammering}/denials?from=${from}`,
      'dev-analyst',
      'text/csv',
    );
    expect(csv.text).toBe(
      `minute,reason,count\r\n${minute},model_not_allowed,3\r\n${minute},rate_limited,20\r\n`,
    );
  }, 150_000);

  it('answers 400 naming the field for a bad range and 403 to a service token', async () => {
    const tooLong = await get(
      `${apps.tier.url}/v1/orgs/${hammering}/denials?from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z`,
    );
    expect(tooLong).toMatchObject({ status: 400, body: { maxRange: 'P1D', problems: [{ field: 'to' }] } });
    const badReason = await get(`${apps.tier.url}/v1/denials?reason=Rate-Limited`);
    expect(badReason).toMatchObject({ status: 400, body: { problems: [{ field: 'reason' }] } });
    expect((await get(`${apps.tier.url}/v1/denials`, 'dev-service')).status).toBe(403);
  });

  it('publishes the minute in progress when the decision app stops', async () => {
    const at = Date.now();
    await check(apps.decision.url, wrongModel, 'large');
    await check(apps.decision.url, wrongModel, 'large');
    expect(await apps.decision.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const from = new Date(at - (at % MINUTE_MS)).toISOString();
    const series = await eventually(async () => {
      const { body } = await get(`${apps.tier.url}/v1/orgs/${wrongModel}/denials?from=${from}`);
      return body && body.series.length > 0 ? body : undefined;
    }, 20_000);
    expect(series?.series).toEqual([{ minute: from, reason: 'model_not_allowed', count: 2 }]);
  }, 60_000);
});
