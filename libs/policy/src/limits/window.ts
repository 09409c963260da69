/**
 * The windows a limit may count over. A sliding window is an ISO 8601 duration (PT1M, PT1H, P1D...)
 * counted in buckets of a resolution derived from it; a quota window is the organization's lifetime or
 * the current calendar month in UTC (P1M).
 */
export type WindowSpec =
  SlidingWindowSpec | { kind: 'month'; label: 'month' } | { kind: 'lifetime'; label: 'lifetime' };

export interface SlidingWindowSpec {
  kind: 'sliding';
  /** The duration as the policy wrote it, e.g. `PT1M`. */
  iso: string;
  ms: number;
  /** Bucket width: see resolutionFor. */
  resolutionMs: number;
  /** Buckets the window spans (ms / resolutionMs). */
  slots: number;
  /** `minute`, `hour`, `day` for those exact durations, else the ISO text: what answers call the window. */
  label: string;
}

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Bucket widths windows are counted in, finest first; the projector stores buckets of each. */
export const RESOLUTIONS_MS = [SECOND_MS, MINUTE_MS, HOUR_MS] as const;
export type ResolutionMs = (typeof RESOLUTIONS_MS)[number];

/** The longest sliding window: hourly buckets are kept for it. */
export const MAX_SLIDING_WINDOW_MS = 31 * DAY_MS;

/** At least this many buckets per window: a call leaves at most 1/60 of the window late. */
const MIN_SLOTS = 60;

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

const LABELS: Record<number, string> = { [MINUTE_MS]: 'minute', [HOUR_MS]: 'hour', [DAY_MS]: 'day' };

/**
 * The coarsest resolution that still gives the window at least 60 buckets and divides it evenly:
 * PT1M counts in seconds, PT1H and P1D in minutes, P7D in hours. Coarser buckets cost less memory and
 * fewer rows; 60 buckets bound how late a call may leave the window to a sixtieth of it.
 */
export function resolutionFor(windowMs: number): ResolutionMs {
  for (let i = RESOLUTIONS_MS.length - 1; i > 0; i -= 1) {
    const resolution = RESOLUTIONS_MS[i];
    if (windowMs % resolution === 0 && windowMs / resolution >= MIN_SLOTS) return resolution;
  }
  return SECOND_MS;
}

/** Reads a window as the policy document writes it; undefined when it is not one. */
export function parseWindow(text: unknown): WindowSpec | undefined {
  if (text === 'lifetime') return { kind: 'lifetime', label: 'lifetime' };
  if (text === 'P1M') return { kind: 'month', label: 'month' };
  if (typeof text !== 'string') return undefined;
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  const ms = ((days * 24 + hours) * 60 + minutes) * MINUTE_MS + seconds * SECOND_MS;
  if (ms < SECOND_MS || ms > MAX_SLIDING_WINDOW_MS) return undefined;
  const resolutionMs = resolutionFor(ms);
  return {
    kind: 'sliding',
    iso: text,
    ms,
    resolutionMs,
    slots: ms / resolutionMs,
    label: LABELS[ms] ?? text,
  };
}

/** Months since 1970-01 in UTC: the calendar month a time falls in. */
export function monthIndex(atMs: number): number {
  const date = new Date(atMs);
  return date.getUTCFullYear() * 12 + date.getUTCMonth() - 1970 * 12;
}

/** The first millisecond of a month index, UTC. */
export function monthStartMs(index: number): number {
  return Date.UTC(1970 + Math.floor(index / 12), index % 12, 1);
}

/** Window length in seconds as the RateLimit fields show it; a month's is the current month's. */
export function windowSeconds(window: WindowSpec, nowMs: number): number | null {
  switch (window.kind) {
    case 'sliding':
      return window.ms / SECOND_MS;
    case 'month': {
      const index = monthIndex(nowMs);
      return (monthStartMs(index + 1) - monthStartMs(index)) / SECOND_MS;
    }
    case 'lifetime':
      return null;
  }
}
