import { CallsDeniedV1 } from '@metergate/contracts';

/** One row of denials_by_minute: a replica's final count for an organization, minute and reason. */
export interface DenialRow {
  minute: string;
  orgId: string;
  reason: string;
  replicaId: string;
  count: number;
}

/**
 * The rows a batch of calls.denied records sets, one per key. A replica publishes each key once, with
 * its final count, and sends a record again only as it was; so a key met twice (a redelivery, a record
 * re-sent after a lost acknowledgement) carries the same count, and the larger one is kept should it
 * not, here and in the table alike. Applying the same records twice therefore leaves the same rows.
 */
export function denialRows(events: readonly CallsDeniedV1[]): DenialRow[] {
  const rows = new Map<string, DenialRow>();
  for (const { payload } of events) {
    const minute = new Date(payload.minute).toISOString();
    for (const { orgId, reason, count } of payload.denials) {
      const key = `${minute} ${orgId} ${reason} ${payload.replicaId}`;
      const held = rows.get(key);
      if (!held || held.count < count) {
        rows.set(key, { minute, orgId, reason, replicaId: payload.replicaId, count });
      }
    }
  }
  // Sorted by the primary key, so that concurrent transactions lock rows in the same order.
  return [...rows.values()].sort(
    (a, b) =>
      compare(a.minute, b.minute) ||
      compare(a.orgId, b.orgId) ||
      compare(a.reason, b.reason) ||
      compare(a.replicaId, b.replicaId),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
