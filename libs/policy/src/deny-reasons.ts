/**
 * Why a check is denied, the one list every transport and store uses. The order is the order in which
 * they are judged, broadest first: who is asking, what they may call, then how much is left.
 */
export const DENY_REASONS = [
  'invalid_key',
  'production_requires_full_access',
  'suspended',
  'endpoint_not_allowed',
  'model_not_allowed',
  'quota_exhausted',
  'rate_limited',
] as const;

export type DenyReason = (typeof DENY_REASONS)[number];

/** A small integer per reason (0: allowed), for compact stores. */
export function reasonCode(reason: DenyReason | null): number {
  return reason === null ? 0 : DENY_REASONS.indexOf(reason) + 1;
}

export function reasonOf(code: number): DenyReason | null {
  return code === 0 ? null : DENY_REASONS[code - 1];
}
