/** One partition's batch, as far as planning transactions cares. */
export interface PlannedBatch {
  topic: string;
  partition: number;
  messages: readonly unknown[];
}

/**
 * Below this many events per transaction, a transaction's fixed cost (its round trips and the commit's
 * flush) outweighs what running it beside another saves: a fetch of fresh traffic (a few events on each
 * of many partitions) becomes one transaction; a backlog is spread over parallel ones.
 */
export const MIN_EVENTS_PER_TRANSACTION = 500;

/**
 * Splits the batches that arrived together into the transactions to apply them in: at most
 * `maxParallel` (but at least one per topic), with similar event counts, each batch whole in one of
 * them. A transaction never mixes topics: usage and admissions of one call share a dedupe row, and two
 * projector instances each holding one topic's partition for the other's orgs could then lock those
 * rows in opposite orders. Batches are ordered by topic and partition within a transaction.
 */
export function planTransactions<T extends PlannedBatch>(batches: T[], maxParallel: number): T[][] {
  const total = batches.reduce((sum, b) => sum + b.messages.length, 0);
  const wanted = Math.max(1, Math.min(maxParallel, Math.floor(total / MIN_EVENTS_PER_TRANSACTION)));
  const groups: { topic: string; events: number; batches: T[] }[] = [];
  // Largest first, each into the least loaded group it may join: a near-even split in one pass.
  const bySize = [...batches].sort((a, b) => b.messages.length - a.messages.length || byPosition(a, b));
  for (const batch of bySize) {
    const candidates = groups.filter((g) => g.topic === batch.topic);
    let target = candidates.reduce<(typeof groups)[number] | undefined>(
      (least, g) => (least === undefined || g.events < least.events ? g : least),
      undefined,
    );
    if (target === undefined || groups.length < wanted) {
      target = { topic: batch.topic, events: 0, batches: [] };
      groups.push(target);
    }
    target.events += batch.messages.length;
    target.batches.push(batch);
  }
  return groups.map((g) => g.batches.sort(byPosition));
}

function byPosition(a: PlannedBatch, b: PlannedBatch): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}
