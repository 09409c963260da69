import { RangeResult, resolveRange } from '../usage-queries/usage-range';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The top query sums minutes; 31 days of them stay inside what the projector keeps (35 days). */
export const TOP_DENIALS_MAX_RANGE_DAYS = 31;

/** One organization's series is per minute, as the minute usage series: at most a day of points. */
export const ORG_DENIALS_MAX_RANGE_DAYS = 1;

/** Default: the last day, as for the top usage query. */
export function topDenialsRange(from: string | undefined, to: string | undefined, now: Date): RangeResult {
  return resolveRange(from, to, TOP_DENIALS_MAX_RANGE_DAYS, DAY_MS, now);
}

/** Default: the last hour, as for the minute usage series. */
export function orgDenialsRange(from: string | undefined, to: string | undefined, now: Date): RangeResult {
  return resolveRange(from, to, ORG_DENIALS_MAX_RANGE_DAYS, HOUR_MS, now);
}
