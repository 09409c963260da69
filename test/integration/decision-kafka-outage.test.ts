import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack } from './decision-harness';

/**
 * The broker stops answering after the read model was fresh: the broker process is frozen (SIGSTOP), so
 * open connections hang rather than fail, as with a broker behind a dead network path. Integration files
 * run one at a time, so no other test shares the pause.
 */
const brokerPid = (): number => {
  const pidFile = join(__dirname, '../../.data/kafka/kafka.pid');
  try {
    return Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    throw new Error(`this test freezes the broker started by scripts/kafka.sh, whose ${pidFile} is missing`);
  }
};

describe('decision API when Kafka goes away after the read model was fresh', () => {
  let stack: DecisionStack;
  let app: DecisionApp;
  let frozen = false;
  const org = uniqueName('org').replace(/\./g, '_');
  const endTotal = async () =>
    (await stack.endOffsets(stack.topics.CALLS_ADMITTED_TOPIC)).reduce((sum, p) => sum + Number(p.offset), 0);
  const freeze = (on: boolean) => {
    process.kill(brokerPid(), on ? 'SIGSTOP' : 'SIGCONT');
    frozen = on;
  };

  beforeAll(async () => {
    stack = await DecisionStack.create();
    // The default failure policies: rate limits open, the character quota closed.
    app = await stack.boot({ DECISION_STALENESS_THRESHOLD_MS: '1000' });
  }, 60_000);

  afterAll(async () => {
    if (frozen) freeze(false);
    await stack?.close();
  }, 30_000);

  it('turns stale, applies the failure policies, and publishes what it admitted once Kafka is back', async () => {
    const fresh = await app.check({ orgId: org, endpoint: 'embed' });
    expect(fresh.body).toMatchObject({ allowed: true, reason: null });
    expect(Date.now() - Date.parse(fresh.body.asOf)).toBeLessThan(1000);
    expect(await eventually(async () => (await endTotal()) === 1)).toBe(true);

    freeze(true);
    try {
      const stale = await eventually(async () => app.model.isStale(Date.now()), 10_000, 50);
      expect(stale).toBe(true);

      const ready = await fetch(`${app.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toContain('read model');
      expect(await (await fetch(`${app.url}/metrics`)).text()).toMatch(/^decision_read_model_stale 1$/m);

      // Rate limits open: answered and counted from what this replica knows, with an asOf that says how old.
      const admitted = [];
      for (let i = 0; i < 5; i += 1) admitted.push(await app.check({ orgId: org, endpoint: 'embed' }));
      for (const answer of admitted) {
        expect(answer.body).toMatchObject({ allowed: true, reason: null });
        expect(Date.parse(answer.body.asOf)).toBeLessThanOrEqual(Date.parse(fresh.body.asOf) + 1000);
      }
      const minute = admitted[4].body.limits.find((l) => l.window === 'minute');
      expect(minute?.remaining).toBe(500 - 6);

      // The quota closed: generate is refused while the replica cannot know what was used.
      const generate = await app.check({ orgId: org, endpoint: 'generate' });
      expect(generate.body).toMatchObject({ allowed: false, reason: 'quota_exhausted' });
    } finally {
      freeze(false);
    }

    expect(await eventually(async () => !app.model.isStale(Date.now()), 30_000, 100)).toBe(true);
    expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
    // All six admissions acknowledged, in one record per call (v1) or per partition and flush (v2).
    const published = async () =>
      /^decision_admissions_published_total (\d+)$/m.exec(
        await (await fetch(`${app.url}/metrics`)).text(),
      )?.[1];
    expect(await eventually(async () => (await published()) === '6', 30_000)).toBe(true);
    expect(await endTotal()).toBeGreaterThan(1);
    const after = await app.check({ orgId: org, endpoint: 'generate', hits: 0 });
    expect(after.body).toMatchObject({ allowed: true, reason: null });
    const embed = await app.check({ orgId: org, endpoint: 'embed', hits: 0 });
    expect(embed.body.limits.find((l) => l.window === 'minute')?.remaining).toBe(500 - 6);
  }, 90_000);
});
