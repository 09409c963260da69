import { pruneAged } from '../retention/prune-aged.sql';

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
   * Writes the records of calls seen for the first time, as the batch left them, and returns those it
   * wrote: a call that has a row already is left to lockCalls and saveCalls. Rows are inserted in key
   * order; a concurrent transaction inserting the same call waits here until this one ends, then finds
   * the row and takes the other path.
   */
  insertNewCalls: `
    INSERT INTO processed_events (org_id, event_id, has_usage, has_admission, released, call_at, call_endpoint,
                                  call_user, call_model, call_key, usage_offset, admission_offset,
                                  usage_counted_call)
    SELECT n.org_id, n.event_id, n.has_usage, n.has_admission, n.released, to_timestamp(n.call_ms / 1000),
           n.call_endpoint, n.call_user, n.call_model, n.call_key, n.usage_offset, n.admission_offset,
           n.usage_counted_call
    FROM unnest($1::text[], $2::text[], $3::boolean[], $4::boolean[], $5::boolean[], $6::float8[], $7::text[],
                $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::boolean[])
      AS n (org_id, event_id, has_usage, has_admission, released, call_ms, call_endpoint, call_user,
            call_model, call_key, usage_offset, admission_offset, usage_counted_call)
    ORDER BY 1, 2
    ON CONFLICT (org_id, event_id) DO NOTHING
    RETURNING org_id, event_id`,

  /**
   * Each call's record as countCall needs it, locked for the transaction in key order: whether its usage
   * and its admission were counted, where its usage event counted the call itself (for an admission to
   * move it), whether it was released, and the reservation it holds.
   */
  lockCalls: `
    SELECT p.org_id, p.event_id, p.has_usage, p.has_admission, p.released,
           (extract(epoch FROM p.call_at) * 1000)::float8 AS call_at, p.call_endpoint, p.call_user,
           p.call_model, p.call_key, r.chars::float8 AS reserved_chars,
           (extract(epoch FROM r.reserved_until) * 1000)::float8 AS reserved_until
    FROM processed_events p
    LEFT JOIN reservations r ON r.org_id = p.org_id AND r.event_id = p.event_id
    WHERE (p.org_id, p.event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
    ORDER BY p.org_id, p.event_id
    FOR UPDATE OF p`,

  /**
   * The calls' records after the batch. The offsets where a call's usage and admission were first
   * counted, and whether the usage event counted the call itself, are set once and kept: a decision
   * replica that may have forgotten an id asks them whether an event was that first one.
   */
  saveCalls: `
    UPDATE processed_events AS p
    SET has_usage = n.has_usage, has_admission = n.has_admission, released = n.released,
        call_at = to_timestamp(n.call_ms / 1000), call_endpoint = n.call_endpoint, call_user = n.call_user,
        call_model = n.call_model, call_key = n.call_key,
        usage_offset = coalesce(p.usage_offset, n.usage_offset),
        admission_offset = coalesce(p.admission_offset, n.admission_offset),
        usage_counted_call = coalesce(p.usage_counted_call, n.usage_counted_call)
    FROM unnest($1::text[], $2::text[], $3::boolean[], $4::boolean[], $5::boolean[], $6::float8[],
                $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::boolean[])
      AS n (org_id, event_id, has_usage, has_admission, released, call_ms, call_endpoint, call_user,
            call_model, call_key, usage_offset, admission_offset, usage_counted_call)
    WHERE p.org_id = n.org_id AND p.event_id = n.event_id`,

  /** Reservations admissions opened (an admission read again finds its call's record admitted already). */
  openReservations: `
    INSERT INTO reservations (org_id, event_id, endpoint, model, chars, reserved_at, reserved_until)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[],
                         $7::timestamptz[])
    ON CONFLICT (org_id, event_id) DO NOTHING`,

  /** Reservations settled by their usage event or released. */
  settleReservations: `
    DELETE FROM reservations
    WHERE (org_id, event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,

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
        SELECT org_id, endpoint, user_id, model, to_timestamp(at_ms / 1000) AS at, calls, input_chars,
               output_chars, key_id
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::bigint[], $7::bigint[],
                    $8::bigint[], $13::text[])
          AS c (org_id, endpoint, user_id, model, at_ms, calls, input_chars, output_chars, key_id)
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
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
          AS v (org_id, endpoint, user_id, model, at, key_id)),
      seconds AS (${dropEmpty('usage_by_second', 'second', ['endpoint', 'model'])}),
      minutes AS (${dropEmpty('usage_by_minute', 'minute', ['endpoint', 'user_id', 'model'])}),
      hours AS (${dropEmpty('usage_by_hour', 'hour', ['endpoint', 'user_id', 'model', 'key_id'])})
    ${dropEmpty('usage_by_day', 'day', ['endpoint', 'user_id', 'model', 'key_id'])}`,

  pruneSeconds: pruneAged('usage_by_second', 'bucket < now() - make_interval(mins => $1)'),
  pruneMinutes: pruneAged('usage_by_minute', 'bucket < now() - make_interval(hours => $1)'),
  pruneProcessedEvents: pruneAged('processed_events', 'first_seen_at < now() - make_interval(hours => $1)'),
  pruneReservations: pruneAged('reservations', 'reserved_until < now() - make_interval(hours => $1)'),
} as const;
