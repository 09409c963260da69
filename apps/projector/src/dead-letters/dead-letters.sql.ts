/** Every statement about dead letters, in one place to review. */
export const DeadLettersSql = {
  /**
   * Records set aside, one row each; a record set aside before (a redelivery) keeps its first row. Both
   * times come from the server's clock at the insert when the record failed in this very transaction
   * (first_failed_at null), so that a record is never set aside before it failed.
   */
  insert: `
    INSERT INTO dead_letters (consumer_group, topic, partition, "offset", record_key, record_value,
                              record_timestamp, error, error_code, first_failed_at, set_aside_at)
    SELECT $1, topic, partition, "offset", record_key, record_value, record_timestamp, error, error_code,
           coalesce(first_failed_at, clock_timestamp()), clock_timestamp()
    FROM unnest($2::text[], $3::integer[], $4::bigint[], $5::bytea[], $6::bytea[], $7::timestamptz[],
                $8::text[], $9::text[], $10::timestamptz[])
      AS d (topic, partition, "offset", record_key, record_value, record_timestamp, error, error_code,
            first_failed_at)
    ON CONFLICT (consumer_group, topic, partition, "offset") DO NOTHING`,

  /** A page, oldest first, after the id `$1` (0 for the first page). */
  page: `
    SELECT id, consumer_group, topic, partition, "offset", record_key, record_value, record_timestamp,
           error, error_code, first_failed_at, set_aside_at
    FROM dead_letters WHERE id > $1 ORDER BY id LIMIT $2`,
} as const;
