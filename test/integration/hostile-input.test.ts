import { UsageLimits } from '@metergate/contracts';
import { loadConfig } from '@metergate/platform';
import { IngestConfig } from '../../apps/ingest/src/ingest.config';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { RunningApp, postJson, startApp, testEnv } from '../support/test-app';
import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack } from './decision-harness';

interface Problem {
  field: string;
}

/**
 * Issue 10, findings 1 and 2: what the public APIs accept must be counted. Each hostile value is either
 * refused with a 400 that names its field, or counted by the projector; before the one definition of
 * the fields, some were answered 202 and then skipped, and a U+0000 in an id stopped all metering.
 */
describe('hostile input through the public APIs: refused naming the field, or counted', () => {
  let stack: DecisionStack;
  let ingest: RunningApp;
  let projector: RunningApp;
  let decision: DecisionApp;

  beforeAll(async () => {
    stack = await DecisionStack.create();
    const env = testEnv({ DATABASE_URL: stack.db.url, ...stack.topics });
    ingest = await startApp(
      'ingest',
      IngestModule.create(loadConfig(IngestConfig, env)),
      UsageLimits.maxBodyBytes,
    );
    projector = await startApp(
      'projector',
      ProjectorModule.create(
        loadConfig(ProjectorConfig, { ...env, PROJECTOR_GROUP_ID: stack.projectorGroup }),
      ),
    );
    decision = await stack.boot();
  }, 60_000);

  afterAll(async () => {
    await projector?.close();
    await ingest?.close();
    await stack?.close();
  });

  const lifetimeCalls = async (orgId: string, endpoint: string) => {
    const rows = await stack.db.query<{ calls: string }>(
      'SELECT calls FROM usage_lifetime WHERE org_id = $1 AND endpoint = $2',
      [orgId, endpoint],
    );
    return rows.length === 0 ? 0 : Number(rows[0].calls);
  };

  const hostileStrings: [string, string][] = [
    ['empty', ''],
    ['a space', ' '],
    ['a tab', '\t'],
    ['whitespace only', ' \u00a0\u3000 '],
    ['U+0000 alone', '\u0000'],
    ['U+0000 inside', 'a\u0000b'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate before text', '\udc00x'],
    ['a reversed pair', '\ude00\ud83d'],
    ['an emoji', '😀'],
    ['a right-to-left mark', '\u200fsmall'],
    ['a right-to-left override alone', '\u202e'],
    ['a newline', 'a\nb'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085'],
    ['Cyrillic', 'ключ-1'],
    ['an inner space', 'a b'],
    ['a trailing space', 'small '],
    ['64 emoji (128 code units)', '😀'.repeat(64)],
    ['65 emoji (130 code units)', '😀'.repeat(65)],
    ['33 emoji (66 code units)', '😀'.repeat(33)],
    ['a unicode escape written out', '\\u0000'],
  ];

  it('POST /v1/usage: each hostile id or model is a 400 naming it, or counted', async () => {
    const orgId = uniqueName('org').replace(/\./g, '-');
    const timestamp = () => new Date().toISOString();
    const accepted: string[] = [];
    const wrongRefusals: string[] = [];
    const cases = hostileStrings.flatMap(([name, value], i) => [
      { name: `id: ${name}`, field: 'id', event: { id: value, model: 'small' } },
      { name: `model: ${name}`, field: 'model', event: { id: `model-${i}`, model: value } },
    ]);
    for (const { name, field, event } of cases) {
      // One event per batch: a batch with a bad event is refused whole.
      const response = await postJson(`${ingest.url}/v1/usage`, {
        events: [
          { orgId, endpoint: 'generate', inputChars: 1, outputChars: 0, timestamp: timestamp(), ...event },
        ],
      });
      if (response.status === 202) accepted.push(name);
      else {
        const fields = ((response.body as { problems?: Problem[] }).problems ?? []).map((p) => p.field);
        if (response.status !== 400 || fields.join() !== `events[0].${field}`)
          wrongRefusals.push(`${name}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }
    expect(wrongRefusals).toEqual([]);
    expect(accepted.length).toBeGreaterThan(0);

    // Same org, same partition: once the marker posted last is counted, every event before it was applied.
    const marker = { id: 'marker', orgId, endpoint: 'classify', inputChars: 1, outputChars: 0 };
    expect(
      (await postJson(`${ingest.url}/v1/usage`, { events: [{ ...marker, timestamp: timestamp() }] })).status,
    ).toBe(202);
    const markerCounted = await eventually(
      async () => (await lifetimeCalls(orgId, 'classify')) === 1,
      20_000,
    );
    expect(markerCounted).toBe(true);
    expect(await lifetimeCalls(orgId, 'generate')).toBe(accepted.length);
  });

  it('POST /v1/decisions: each hostile requestId or model is a 400 naming it, or its admission is counted', async () => {
    const orgId = uniqueName('org').replace(/\./g, '_');
    let admitted = 0;
    const wrongRefusals: string[] = [];
    const cases = hostileStrings.flatMap(([name, value]) => [
      { name: `requestId: ${name}`, field: 'requestId', check: { requestId: value } },
      { name: `model: ${name}`, field: 'model', check: { model: value } },
    ]);
    for (const { name, field, check } of cases) {
      const { status, body } = await decision.check({ orgId, endpoint: 'embed', ...check });
      if (status === 200) admitted += body.allowed ? 1 : 0;
      else if (status !== 400 || body.problems.map((p) => p.field).join() !== field)
        wrongRefusals.push(`${name}: ${status} ${JSON.stringify(body)}`);
    }
    expect(wrongRefusals).toEqual([]);
    expect(admitted).toBeGreaterThan(0);
    const counted = await eventually(async () => (await lifetimeCalls(orgId, 'embed')) === admitted, 20_000);
    expect(counted).toBe(true);
  });
});
