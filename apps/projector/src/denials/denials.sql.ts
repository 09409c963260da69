import { pruneAged } from '../retention/prune-aged.sql';

/** Every statement of the denials projection, in one place to review. */
export const DenialsSql = {
  /**
   * Stores each key's count. A key already held keeps the larger count, never a sum: what makes a
   * record applied twice change nothing.
   */
  upsertDenials: `
    INSERT INTO denials_by_minute (minute, org_id, reason, replica_id, count)
    SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::bigint[])
    ON CONFLICT (minute, org_id, reason, replica_id) DO UPDATE
       SET count = EXCLUDED.count
     WHERE denials_by_minute.count < EXCLUDED.count`,

  /** $1 days to keep; $2 rows at most per statement. */
  prune: pruneAged('denials_by_minute', 'minute < now() - make_interval(days => $1)'),
} as const;
