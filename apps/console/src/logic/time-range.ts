import type { Granularity } from '../api/types';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const GRANULARITIES: readonly Granularity[] = ['minute', 'hour', 'day'];

export const GRANULARITY_MS: Readonly<Record<Granularity, number>> = {
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
};

/** The tier app's largest range per granularity (larger is a 400); per-minute buckets are kept 72 hours. */
export const MAX_RANGE_MS: Readonly<Record<Granularity, number>> = {
  minute: DAY_MS,
  hour: 31 * DAY_MS,
  day: 366 * DAY_MS,
};

/** The top-organizations query reads hourly rollups over at most a year. */
export const TOP_MAX_RANGE_MS = 366 * DAY_MS;

/** The denial queries sum minutes: at most 31 days for the top, a day for one organization's series. */
export const TOP_DENIALS_MAX_RANGE_MS = 31 * DAY_MS;
export const ORG_DENIALS_MAX_RANGE_MS = DAY_MS;

export interface RangePreset {
  id: string;
  label: string;
  ms: number;
}

export const USAGE_PRESETS: readonly RangePreset[] = [
  { id: '1h', label: 'Last hour', ms: HOUR_MS },
  { id: '6h', label: 'Last 6 hours', ms: 6 * HOUR_MS },
  { id: '24h', label: 'Last 24 hours', ms: DAY_MS },
  { id: '7d', label: 'Last 7 days', ms: 7 * DAY_MS },
  { id: '30d', label: 'Last 30 days', ms: 30 * DAY_MS },
  { id: '90d', label: 'Last 90 days', ms: 90 * DAY_MS },
  { id: '365d', label: 'Last 365 days', ms: 365 * DAY_MS },
];

export const TOP_PRESETS: readonly RangePreset[] = USAGE_PRESETS.slice(2);

/** An organization's denials per minute: up to a day. */
export const ORG_DENIAL_PRESETS: readonly RangePreset[] = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * MINUTE_MS },
  ...USAGE_PRESETS.slice(0, 3),
];

/** The most denied organizations: up to 30 days. */
export const DENIAL_PRESETS: readonly RangePreset[] = [...ORG_DENIAL_PRESETS, ...USAGE_PRESETS.slice(3, 5)];

/** A range as chosen in a form: a rolling preset (re-read on every refresh) or fixed UTC times. */
export type RangeChoice = { kind: 'preset'; id: string } | { kind: 'custom'; from: string; to: string };

export interface TimeRange {
  from: Date;
  to: Date;
}

export type RangeResult = { range: TimeRange } | { problem: string };

/**
 * The range a choice stands for at `now`; a preset ends at `now`, so that each refresh moves it along.
 * Custom times are `datetime-local` values read as UTC, like every time the console shows.
 */
export function resolveRange(
  choice: RangeChoice,
  presets: readonly RangePreset[],
  maxMs: number,
  now: Date,
): RangeResult {
  if (choice.kind === 'preset') {
    const preset = presets.find((p) => p.id === choice.id);
    if (!preset) return { problem: `unknown range ${choice.id}` };
    return { range: { from: new Date(now.getTime() - preset.ms), to: now } };
  }
  const from = fromDateTimeLocal(choice.from);
  const to = fromDateTimeLocal(choice.to);
  if (!from) return { problem: 'Enter the start of the range (UTC).' };
  if (!to) return { problem: 'Enter the end of the range (UTC).' };
  if (from.getTime() >= to.getTime()) return { problem: 'The start must be before the end.' };
  if (to.getTime() - from.getTime() > maxMs) {
    return { problem: `The range may span at most ${describeSpan(maxMs)}.` };
  }
  return { range: { from, to } };
}

/** The granularities whose largest range holds a span, finest first. */
export function allowedGranularities(spanMs: number): Granularity[] {
  return GRANULARITIES.filter((g) => spanMs <= MAX_RANGE_MS[g]);
}

/** A few dozen to a few hundred points: minutes up to 6 hours, hours up to 7 days, then days. */
export function defaultGranularity(spanMs: number): Granularity {
  if (spanMs <= 6 * HOUR_MS) return 'minute';
  if (spanMs <= 7 * DAY_MS) return 'hour';
  return 'day';
}

/** Keeps the chosen granularity while the range allows it, else the default for the range. */
export function fitGranularity(chosen: Granularity, spanMs: number): Granularity {
  return allowedGranularities(spanMs).includes(chosen) ? chosen : defaultGranularity(spanMs);
}

/** The start of the UTC bucket that holds `date`. */
export function floorToBucket(date: Date, granularity: Granularity): Date {
  const size = GRANULARITY_MS[granularity];
  return new Date(Math.floor(date.getTime() / size) * size);
}

/**
 * The start of every bucket the API may answer for a range: those that start at or after `from` and
 * before `to` (half-open, like the API), so that a chart shows the buckets without usage as zero.
 */
export function bucketStarts(range: TimeRange, granularity: Granularity): Date[] {
  const size = GRANULARITY_MS[granularity];
  const first = Math.ceil(range.from.getTime() / size) * size;
  const starts: Date[] = [];
  for (let t = first; t < range.to.getTime(); t += size) starts.push(new Date(t));
  return starts;
}

/** RFC 3339 in UTC, as the API takes `from` and `to`. */
export function toApiRange(range: TimeRange): { from: string; to: string } {
  return { from: range.from.toISOString(), to: range.to.toISOString() };
}

/** A `datetime-local` value ("2026-03-01T14:05") read as UTC; undefined when empty or not a time. */
export function fromDateTimeLocal(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2026-02-30 over into March; such a day is not a time anyone meant.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59) {
    return undefined;
  }
  return date;
}

/** The `datetime-local` value of a time in UTC, to the minute. */
export function toDateTimeLocal(date: Date): string {
  return date.toISOString().slice(0, 16);
}

/** 86_400_000 → "1 day", 31 days → "31 days", 90 minutes → "90 minutes". */
export function describeSpan(ms: number): string {
  const [size, unit] =
    ms % DAY_MS === 0 ? [DAY_MS, 'day'] : ms % HOUR_MS === 0 ? [HOUR_MS, 'hour'] : [MINUTE_MS, 'minute'];
  const n = Math.round(ms / size);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
