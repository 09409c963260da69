import { loadConfig } from '@metergate/platform';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { RunningApp, startApp, testEnv } from '../support/test-app';
import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack, usageEvent } from './decision-harness';

/**
 * Issue 10, finding 5: a replica that may have forgotten an id (here: restarted, with no ids read back
 * from Kafka) counts an event it cannot place as new, then asks the projection, which keeps every call
 * id for the dedupe retention, and takes back what the projector counted before. The usage event of a
 * call admitted before the restart, or a batch resent after it, is then counted once, as in PostgreSQL.
 */
describe('ids a decision replica may have forgotten', () => {
  let stack: DecisionStack;
  let projector: RunningApp;
  let before: DecisionApp;
  let after: DecisionApp;
  const orgId = uniqueName('org').replace(/\./g, '_');
  const minuteCalls = async (app: DecisionApp) =>
    (await app.check({ orgId, endpoint: 'generate', hits: 0 })).body.limits.find(
      (l) => l.name === 'generate-minute',
    )!;
  const quotaUsed = async (app: DecisionApp) =>
    500_000 -
    (await app.check({ orgId, endpoint: 'generate', hits: 0 })).body.limits.find(
      (l) => l.name === 'generate_chars',
    )!.remaining;
  const projected = async () =>
    (
      await stack.db.query<{ chars: string }>(
        `SELECT (input_chars + output_chars)::text AS chars FROM usage_lifetime WHERE org_id = $1`,
        [orgId],
      )
    )[0]?.chars;

  beforeAll(async () => {
    stack = await DecisionStack.create({ DECISION_ID_WARMUP_SECONDS: '0' });
    projector = await startApp(
      'projector',
      ProjectorModule.create(
        loadConfig(
          ProjectorConfig,
          testEnv({ DATABASE_URL: stack.db.url, ...stack.topics, PROJECTOR_GROUP_ID: stack.projectorGroup }),
        ),
      ),
    );
    before = await stack.boot();
  }, 90_000);

  afterAll(async () => {
    await projector?.close();
    await stack?.close();
  }, 30_000);

  it('counts once a call reported after a restart, and a usage event resent after it', async () => {
    // Before the restart: a call admitted, and another call's usage counted.
    expect((await before.check({ orgId, endpoint: 'generate', requestId: 'admitted-1' })).body.allowed).toBe(
      true,
    );
    const earlier = new Date(Date.now() - 1_000);
    await stack.publish(stack.topics.USAGE_TOPIC, [
      usageEvent(orgId, 'sent-1', { inputChars: 300, outputChars: 0, at: earlier }),
    ]);
    expect(await eventually(async () => (await projected()) === '300')).toBe(true);
    await before.close();

    after = await stack.boot();
    expect(await quotaUsed(after)).toBe(300);
    expect((await minuteCalls(after)).remaining).toBe(58);

    // The admitted call's usage event, and the first one resent: both older than what `after` knows.
    await stack.publish(stack.topics.USAGE_TOPIC, [
      usageEvent(orgId, 'admitted-1', { inputChars: 1_000, outputChars: 0, at: earlier }),
      usageEvent(orgId, 'sent-1', { inputChars: 300, outputChars: 0, at: earlier }),
    ]);
    expect(await eventually(async () => (await projected()) === '1300')).toBe(true);
    // Counted as new at first (the safe side), then settled against the projector's marks.
    const settled = await eventually(
      async () => (await quotaUsed(after)) === 1_300 && (await minuteCalls(after)).remaining === 58,
      15_000,
      100,
    );
    expect({ used: await quotaUsed(after), minute: (await minuteCalls(after)).remaining }).toEqual({
      used: 1_300,
      minute: 58,
    });
    expect(settled).toBe(true);
  }, 60_000);
});
