/** Where a quota stands: the one rule for the decision API, the quota API and the org_quota view. */
export interface QuotaStatus {
  limit: number;
  used: number;
  reserved: number;
  remaining: number;
  /** Nothing left: the call that crossed the limit was the last one allowed. */
  exhausted: boolean;
}

export function quotaStatus(limit: number, used: number, reserved = 0): QuotaStatus {
  const remaining = Math.max(0, limit - used - reserved);
  return { limit, used, reserved, remaining, exhausted: remaining === 0 };
}
