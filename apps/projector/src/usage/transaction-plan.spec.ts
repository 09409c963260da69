import { MIN_EVENTS_PER_TRANSACTION, PlannedBatch, planTransactions } from './transaction-plan';

const batch = (topic: string, partition: number, events: number): PlannedBatch => ({
  topic,
  partition,
  messages: Array.from({ length: events }, (_, i) => i),
});

const positions = (plan: PlannedBatch[][]) => plan.map((t) => t.map((b) => `${b.topic}/${b.partition}`));
const events = (t: PlannedBatch[]) => t.reduce((sum, b) => sum + b.messages.length, 0);

describe('planTransactions', () => {
  it('applies a fetch of fresh traffic, a few events on each partition, in one transaction ordered by partition', () => {
    const batches = [5, 0, 3, 11, 2, 7].map((partition) => batch('usage', partition, 8));
    expect(positions(planTransactions(batches, 6))).toEqual([
      ['usage/0', 'usage/2', 'usage/3', 'usage/5', 'usage/7', 'usage/11'],
    ]);
  });

  it('spreads a backlog over at most maxParallel transactions of similar size, each batch in one of them', () => {
    const batches = Array.from({ length: 10 }, (_, p) => batch('usage', p, 2_000 + p * 100));
    const plan = planTransactions(batches, 6);
    expect(plan).toHaveLength(6);
    expect(
      plan
        .flat()
        .map((b) => b.partition)
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const sizes = plan.map(events);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2_900);
  });

  it('opens no more transactions than there are MIN_EVENTS_PER_TRANSACTION events for', () => {
    const batches = Array.from({ length: 8 }, (_, p) => batch('usage', p, MIN_EVENTS_PER_TRANSACTION / 4));
    expect(planTransactions(batches, 6)).toHaveLength(2);
  });

  it('never puts two topics in one transaction, even when that means one more than maxParallel', () => {
    const batches = [
      batch('usage', 1, 3),
      batch('admitted', 1, 2),
      batch('usage', 0, 4),
      batch('admitted', 0, 1),
    ];
    expect(positions(planTransactions(batches, 1))).toEqual([
      ['usage/0', 'usage/1'],
      ['admitted/0', 'admitted/1'],
    ]);
  });

  it('plans nothing for no batches', () => {
    expect(planTransactions([], 6)).toEqual([]);
  });
});
