export type LimitUnit = 'calls' | 'chars';

/**
 * One limit of a tier, as data: at most `limit` units (calls or characters, input + output) summed over
 * `endpoints` (and, when given, only calls naming one of `models`) within `window`: an ISO 8601
 * duration counted as a sliding window (`PT1M`, `P1D`...), the organization's `lifetime`, or the current
 * calendar month in UTC (`P1M`). Sliding windows are rate limits; lifetime and monthly ones are quotas.
 */
export interface LimitDefinition {
  name: string;
  endpoints: string[];
  models?: string[];
  unit: LimitUnit;
  window: string;
  limit: number;
}

export interface TierPolicy {
  name: string;
  description?: string;
  /** The endpoints the tier may call at all (its entitlements). */
  endpoints: string[];
  /** The shared models the tier may use. */
  models: string[];
  limits: LimitDefinition[];
}

export interface AccessPolicy {
  version: 1;
  defaultTier: string;
  endpoints: string[];
  models: string[];
  /** How long a reservation holds characters when its call is neither reported nor released. */
  reservationTtlSeconds: number;
  tiers: Record<string, TierPolicy>;
}

export const DEFAULT_RESERVATION_TTL_SECONDS = 600;

export class InvalidPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid access policy:\n  - ${problems.join('\n  - ')}`);
  }
}

export function isKnownEndpoint(policy: AccessPolicy, endpoint: string): boolean {
  return policy.endpoints.includes(endpoint);
}

/** The tier's lifetime character quotas: what the quota API and the org_quota view report. */
export function lifetimeCharQuotas(tier: TierPolicy): LimitDefinition[] {
  return tier.limits.filter((limit) => limit.unit === 'chars' && limit.window === 'lifetime');
}
