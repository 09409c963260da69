import { eventually } from '../support/test-kafka';
import { DecisionStack } from './decision-harness';

/**
 * Issue 10, finding 10: the projector's stored offsets name positions in the topics they were stored
 * for. A decision replica started on offsets that cannot belong to the topics the broker holds (here:
 * beyond their end, as after `npm start` on a database an earlier broker's run left) refuses to follow
 * them, says why and what to do, and follows once they are realigned.
 */
describe('a decision replica on offsets of other topics', () => {
  let stack: DecisionStack;

  beforeAll(async () => {
    stack = await DecisionStack.create();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('refuses, says how to proceed, and follows once the offsets are realigned', async () => {
    await stack.db.query(
      `INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset)
       SELECT $1, $2, p, 5000 FROM generate_series(0, 2) AS p`,
      [stack.projectorGroup, stack.topics.USAGE_TOPIC],
    );
    const app = await stack.boot({ DECISION_STALENESS_THRESHOLD_MS: '500' }, false);
    const refusal = await eventually(async () => {
      const ready = await fetch(`${app.url}/health/ready`);
      const text = await ready.text();
      return ready.status === 503 && text.includes('realign-offsets') ? text : undefined;
    });
    expect(refusal).toMatch(/beyond the partition's end/);
    expect(app.model.isStale(Date.now())).toBe(true);

    // What `npm run realign-offsets` does for this topic: count it from its start.
    await stack.db.query(`UPDATE consumer_offsets SET next_offset = 0 WHERE consumer_group = $1`, [
      stack.projectorGroup,
    ]);
    expect(
      await eventually(async () => (await fetch(`${app.url}/health/ready`)).status === 200, 30_000),
    ).toBe(true);
  }, 60_000);
});
