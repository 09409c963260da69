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
  const { limit } = quota;
  if (limit <= 0) return { used: 1, reserved: 0, remaining: 0, full: true };
  // In characters first, so that the shares add up exactly and a full gauge has nothing remaining.
  const used = Math.min(limit, Math.max(0, quota.used));
  const reserved = Math.min(limit - used, Math.max(0, quota.reserved ?? 0));
  const remaining = limit - used - reserved;
  return {
    used: used / limit,
    reserved: reserved / limit,
    remaining: remaining / limit,
    full: remaining === 0,
  };
}
