import type { Quota } from '../api/types';

export interface GaugeParts {
  /** Shares of the limit, each 0..1, adding up to at most 1. */
  used: number;
  reserved: number;
  remaining: number;
  /** Used (with reservations) has reached the limit. */
  full: boolean;
}

/**
 * How a quota's limit divides into used, reserved (once the API has reservations) and remaining. Used past
 * the limit (the call that crosses it still counts) fills the gauge rather than overflowing it.
 */
export function gaugeParts(quota: Pick<Quota, 'limit' | 'used' | 'reserved'>): GaugeParts {
  if (quota.limit <= 0) return { used: 1, reserved: 0, remaining: 0, full: true };
  const used = Math.min(1, Math.max(0, quota.used / quota.limit));
  const reserved = Math.min(1 - used, Math.max(0, (quota.reserved ?? 0) / quota.limit));
  const remaining = Math.max(0, 1 - used - reserved);
  return { used, reserved, remaining, full: remaining === 0 };
}
