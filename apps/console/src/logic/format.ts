import type { Granularity } from '../api/types';

const counts = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 1234567 → "1,234,567": figures that people compare are shown whole. */
export function formatCount(value: number): string {
  return counts.format(value);
}

/** 1234567 → "1.2M", for chart axes and other places with little room. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/** 0.2468 → "24.7%"; a share that is not 0 never shows as "0%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–';
  const percent = fraction * 100;
  if (percent > 0 && percent < 0.1) return '<0.1%';
  return `${percent.toFixed(percent >= 10 || Number.isInteger(percent) ? 0 : 1)}%`;
}

const pad = (n: number) => String(n).padStart(2, '0');

function utcDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function utcMinute(date: Date): string {
  return `${utcDate(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/**
 * A bucket's start as its granularity reads it, in UTC like the buckets themselves: "2026-03-01" for a
 * day, "2026-03-01 14:00" for an hour or minute.
 */
export function formatBucket(start: string | Date, granularity: Granularity): string {
  const date = new Date(start);
  return granularity === 'day' ? utcDate(date) : utcMinute(date);
}

/** "2026-03-01 14:05 UTC". */
export function formatDateTime(value: string | Date): string {
  return `${utcMinute(new Date(value))} UTC`;
}

const UNITS: [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
];

/** "3 hours ago", "just now", "in 2 days": how long ago, to the largest whole unit. */
export function formatRelative(value: string | Date, now: Date): string {
  const elapsed = now.getTime() - new Date(value).getTime();
  const size = Math.abs(elapsed);
  for (const [ms, unit] of UNITS) {
    if (size >= ms) {
      const n = Math.floor(size / ms);
      const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return elapsed >= 0 ? `${text} ago` : `in ${text}`;
    }
  }
  return 'just now';
}

/** A window's cap in a limit override: absent keeps the tier's, null lifts it. */
export function formatLimit(value: number | null | undefined): string {
  if (value === undefined) return 'tier default';
  if (value === null) return 'no cap';
  return formatCount(value);
}

/** "model_not_allowed" → "model not allowed". */
export function humanize(word: string): string {
  return word.replace(/_/g, ' ');
}

/**
 * A time axis label in UTC: the hour and minute for minute and hour buckets ("14:00"), the date where a
 * day starts and for day buckets ("03-01"), so that labels stay short on a phone.
 */
export function formatAxisTime(unixSeconds: number, granularity: Granularity): string {
  const date = new Date(unixSeconds * 1000);
  const day = `${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (granularity === 'day') return day;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  return time === '00:00' ? day : time;
}
