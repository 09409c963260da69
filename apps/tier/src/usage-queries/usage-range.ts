import { parseRfc3339 } from '@metergate/contracts';
import { FieldProblem } from '@metergate/platform';

export const GRANULARITIES = ['minute', 'hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The largest range per granularity keeps a series to a few thousand points at most, and the minute
 * range inside what the projector keeps of per-minute buckets (72 hours by default).
 */
export const MAX_RANGE_DAYS: Record<Granularity, number> = { minute: 1, hour: 31, day: 366 };

/** The range of a query with no `from`: the last stretch that is usually wanted at that granularity. */
const DEFAULT_RANGE_MS: Record<Granularity, number> = { minute: HOUR_MS, hour: DAY_MS, day: 30 * DAY_MS };

/** The top-organizations query reads hourly rollups; a year of them is its largest range. */
export const TOP_MAX_RANGE_DAYS = 366;
const TOP_DEFAULT_RANGE_MS = DAY_MS;

export interface TimeRange {
  from: Date;
  to: Date;
}

export type RangeResult = { range: TimeRange } | { problems: FieldProblem[]; maxRange: string };

/**
 * Resolves `from`/`to` (RFC 3339, as the request DTO checks them) against `now`: `to` defaults to now,
 * `from` to a default stretch before `to`. The range is half-open: buckets that start at or after `from`
 * and before `to`.
 */
export function resolveRange(
  from: string | undefined,
  to: string | undefined,
  maxDays: number,
  defaultMs: number,
  now: Date,
): RangeResult {
  const end = to === undefined ? now : new Date(parseRfc3339(to) ?? NaN);
  const start =
    from === undefined ? new Date(end.getTime() - defaultMs) : new Date(parseRfc3339(from) ?? NaN);
  const maxRange = `P${maxDays}D`;
  const invalid = [
    ...(Number.isNaN(start.getTime()) ? [{ field: 'from', message: 'from is not a calendar time' }] : []),
    ...(Number.isNaN(end.getTime()) ? [{ field: 'to', message: 'to is not a calendar time' }] : []),
  ];
  if (invalid.length > 0) return { problems: invalid, maxRange };
  if (start.getTime() >= end.getTime()) {
    return { problems: [{ field: 'from', message: 'from must be before to' }], maxRange };
  }
  if (end.getTime() - start.getTime() > maxDays * DAY_MS) {
    const days = maxDays === 1 ? '1 day' : `${maxDays} days`;
    return {
      problems: [
        { field: 'to', message: `the range from from to to may span at most ${days} (${maxRange})` },
      ],
      maxRange,
    };
  }
  return { range: { from: start, to: end } };
}

export function seriesRange(
  from: string | undefined,
  to: string | undefined,
  granularity: Granularity,
  now: Date,
): RangeResult {
  const result = resolveRange(from, to, MAX_RANGE_DAYS[granularity], DEFAULT_RANGE_MS[granularity], now);
  if ('problems' in result) {
    result.problems = result.problems.map((p) =>
      p.field === 'to' ? { ...p, message: `${p.message} for granularity=${granularity}` } : p,
    );
  }
  return result;
}

export function topRange(from: string | undefined, to: string | undefined, now: Date): RangeResult {
  return resolveRange(from, to, TOP_MAX_RANGE_DAYS, TOP_DEFAULT_RANGE_MS, now);
}
