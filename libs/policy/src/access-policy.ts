/** Calls allowed per sliding window; null means no cap for that window. */
export interface EndpointLimits {
  perMinute: number | null;
  perDay: number | null;
}

/** A cap on characters (input + output) summed over some endpoints for the organization's lifetime. */
export interface CharacterQuota {
  name: string;
  endpoints: string[];
  limit: number;
  unit: 'chars';
  window: 'lifetime';
}

export interface TierPolicy {
  name: string;
  description?: string;
  /** Keyed by endpoint; '*' applies to every endpoint without its own entry. */
  limits: Record<string, EndpointLimits>;
  quotas: CharacterQuota[];
  models: string[];
}

export interface AccessPolicy {
  version: 1;
  defaultTier: string;
  endpoints: string[];
  models: string[];
  tiers: Record<string, TierPolicy>;
}

export class InvalidPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid access policy:\n  - ${problems.join('\n  - ')}`);
  }
}

export function limitsFor(tier: TierPolicy, endpoint: string): EndpointLimits {
  return tier.limits[endpoint] ?? tier.limits['*'] ?? { perMinute: null, perDay: null };
}

export function isKnownEndpoint(policy: AccessPolicy, endpoint: string): boolean {
  return policy.endpoints.includes(endpoint);
}
