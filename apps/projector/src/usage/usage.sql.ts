const addCounts = `
  calls = t.calls + excluded.calls,
  input_chars = t.input_chars + excluded.input_chars,
  output_chars = t.output_chars + excluded.output_chars`;

const bucket = (unit: string, at: string) => `date_trunc('${unit}', ${at}, 'UTC')`;

/** Second buckets, by model: what windows of a second's resolution read (a limit may count one model). */
const secondsUpsert = `
    INSERT INTO usage_by_second AS t (org_id, endpoint, model, bucket, calls, input_chars, output_chars)
    SELECT org_id, endpoint, model, ${bucket('second', 'at')}, sum(calls), sum(input_chars), sum(output_chars)
    FROM counted GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (org_id, endpoint, model, bucket) DO UPDATE SET ${addCounts}`;

/** Minute buckets, by user and model: windows of a minute's resolution, and analysts' minute series. */
const minutesUpsert = `
    INSERT INTO usage_by_minute AS t (org_id, bucket, endpoint, user_id, model, calls, input_chars, output_chars)
    SELECT org_id, ${bucket('minute', 'at')}, endpoint, user_id, model, sum(calls), sum(input_chars), sum(output_chars)
    FROM counted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (org_id, bucket, endpoint, user_id, model) DO UPDATE SET ${addCounts}`;

/** Hourly and daily rollups, by user, model and API key. */
function rollupUpsert(table: string, unit: string): string {
  return `
    INSERT INTO ${table} AS t (org_id, bucket, endpoint, user_id, model, key_id, calls, input_chars, output_chars)
    SELECT org_id, ${bucket(unit, 'at')}, endpoint, user_id, model, key_id, sum(calls), sum(input_chars), sum(output_chars)
    FROM counted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (org_id, bucket, endpoint, user_id, model, key_id) DO UPDATE SET ${addCounts}`;
}

const isEmpty = 't.calls = 0 AND t.input_chars = 0 AND t.output_chars = 0';

/** Rows a moved call left empty, matched on the dimensions of each table. */
function dropEmpty(table: string, unit: string, dimensions: string[]): string {
  return `
    DELETE FROM ${table} t USING vacated v
    WHERE t.org_id = v.org_id AND t.bucket = ${bucket(unit, 'v.at')}
      ${dimensions.map((d) => `AND t.${d} = v.${d}`).join(' ')} AND ${isEmpty}`;
}

/**
 * Every statement the usage projection runs, in one place for review. Rows arrive as parallel arrays
 * through unnest(): one round trip per statement whatever the batch size.
 */
export const UsageSql = {
  /**
   * Marks usage events as seen. A row comes back only for an event not seen before as usage;
   * `call_already_counted` says its admission counted the call. When it did not, the usage event counts
   * it, and the call's place (time, endpoint, user, model) is kept for a later admission to move it.
   */
  markUsageSeen: `
    INSERT INTO processed_events AS p (org_id, event_id, has_usage, call_at, call_endpoint, call_user, call_model)
    SELECT org_id, event_id, true, call_at, call_endpoint, call_user, call_model
    FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[])
      AS e (org_id, event_id, call_at, call_endpoint, call_user, call_model)
    ON CONFLICT (org_id, event_id) DO UPDATE SET has_usage = true
      WHERE NOT p.has_usage
    RETURNING org_id, event_id, has_admission AS call_already_counted`,

  /**
   * Marks admissions as seen. For an admission not seen before, the returned call_* columns are set when
   * its usage event came first and counted the call there: the call moves to the admission's place.
   */
  markAdmissionSeen: `
    INSERT INTO processed_events AS p (org_id, event_id, has_admission)
    SELECT org_id, event_id, true FROM unnest($1::text[], $2::text[]) AS e (org_id, event_id)
    ON CONFLICT (org_id, event_id) DO UPDATE SET has_admission = true
      WHERE NOT p.has_admission
    RETURNING org_id, event_id, call_at, call_endpoint, call_user, call_model`,

  /**
   * Folds the newly counted events into every aggregate and saves each partition's next offset, in one
   * statement: one round trip instead of six, which is what bounds the projector when batches are small
   * (fresh traffic on many partitions), and PostgreSQL groups and sums the rows, which the projector's
   * CPU, the bound of a backlog, then need not. Buckets are UTC seconds, minutes, hours and days. Each
   * table's rows are upserted in key order, and every transaction runs this same statement, so
   * concurrent transactions lock shared rows in the same order.
   */
  addCountedAndSaveOffsets: `
    WITH
      counted AS (
        SELECT *, ''::text AS key_id FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                             $6::bigint[], $7::bigint[], $8::bigint[])
          AS c (org_id, endpoint, user_id, model, at, calls, input_chars, output_chars)
        -- A usage event whose call its admission counted, and that used no characters, makes no row.
        WHERE calls <> 0 OR input_chars <> 0 OR output_chars <> 0),
      seconds AS (${secondsUpsert}),
      minutes AS (${minutesUpsert}),
      hours AS (${rollupUpsert('usage_by_hour', 'hour')}),
      days AS (${rollupUpsert('usage_by_day', 'day')}),
      lifetime AS (
        INSERT INTO usage_lifetime AS t (org_id, endpoint, calls, input_chars, output_chars)
        SELECT org_id, endpoint, sum(calls), sum(input_chars), sum(output_chars)
        FROM counted GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (org_id, endpoint) DO UPDATE SET ${addCounts})
    UPDATE consumer_offsets AS o SET next_offset = n.next_offset, updated_at = now()
    FROM unnest($10::text[], $11::integer[], $12::bigint[]) AS n (topic, partition, next_offset)
    WHERE o.consumer_group = $9 AND o.topic = n.topic AND o.partition = n.partition`,

  /**
   * After calls moved away (org, endpoint, user, model and time of each place they left), the rows they
   * left may hold nothing; a replay would never have made them.
   */
  dropEmptyRows: `
    WITH
      vacated AS (
        SELECT *, ''::text AS key_id FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
          AS v (org_id, endpoint, user_id, model, at)),
      seconds AS (${dropEmpty('usage_by_second', 'second', ['endpoint', 'model'])}),
      minutes AS (${dropEmpty('usage_by_minute', 'minute', ['endpoint', 'user_id', 'model'])}),
      hours AS (${dropEmpty('usage_by_hour', 'hour', ['endpoint', 'user_id', 'model', 'key_id'])})
    ${dropEmpty('usage_by_day', 'day', ['endpoint', 'user_id', 'model', 'key_id'])}`,

  pruneSeconds: `DELETE FROM usage_by_second WHERE bucket < now() - make_interval(mins => $1)`,
  pruneMinutes: `DELETE FROM usage_by_minute WHERE bucket < now() - make_interval(hours => $1)`,
  pruneProcessedEvents: `DELETE FROM processed_events WHERE first_seen_at < now() - make_interval(hours => $1)`,
} as const;
