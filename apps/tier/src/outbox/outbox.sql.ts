/** Every statement of the outbox relay and its backlog metric, in one place to review. */
export const OutboxSql = {
  // One relay at a time drains the outbox, which is what keeps each organization's events in order on
  // Kafka when several tier replicas run. The lock ends with the transaction.
  tryRelayLock: `SELECT pg_try_advisory_xact_lock(hashtext('access_outbox_relay')) AS locked`,

  unsentOutbox: `
    SELECT id, org_id, message FROM access_outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1`,

  markSent: `UPDATE access_outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`,

  countUnsent: `SELECT count(*)::int AS unsent FROM access_outbox WHERE sent_at IS NULL`,
} as const;
