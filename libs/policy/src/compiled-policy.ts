import { AccessPolicy, CharacterQuota, limitsFor } from './access-policy';

/** A tier's limits resolved per endpoint index, so a decision does no string lookups beyond one. */
export interface CompiledTier {
  name: string;
  perMinute: (number | null)[];
  perDay: (number | null)[];
  /** Per endpoint index, the quotas that cover it. */
  quotasByEndpoint: CompiledQuota[][];
  models: ReadonlySet<string>;
}

export interface CompiledQuota {
  name: string;
  limit: number;
  endpoints: number[];
}

/**
 * The access policy prepared for the hot path: endpoints become small integers and each tier's limits
 * become arrays indexed by them. Built once at boot from the validated document.
 */
export class CompiledPolicy {
  readonly endpoints: readonly string[];
  readonly defaultTier: CompiledTier;
  private readonly endpointIndex = new Map<string, number>();
  private readonly tiers = new Map<string, CompiledTier>();

  constructor(readonly source: AccessPolicy) {
    this.endpoints = source.endpoints;
    source.endpoints.forEach((endpoint, i) => this.endpointIndex.set(endpoint, i));
    for (const [name, tier] of Object.entries(source.tiers)) {
      const quotas = tier.quotas.map((q) => this.compileQuota(q));
      this.tiers.set(name, {
        name,
        perMinute: source.endpoints.map((e) => limitsFor(tier, e).perMinute),
        perDay: source.endpoints.map((e) => limitsFor(tier, e).perDay),
        quotasByEndpoint: source.endpoints.map((_, i) => quotas.filter((q) => q.endpoints.includes(i))),
        models: new Set(tier.models),
      });
    }
    this.defaultTier = this.tiers.get(source.defaultTier)!;
  }

  /** The endpoint's index, or -1 when the policy does not define it. */
  indexOf(endpoint: string): number {
    return this.endpointIndex.get(endpoint) ?? -1;
  }

  /**
   * The named tier. An organization on a tier this policy no longer defines keeps the default tier's
   * limits rather than none: a deployment mistake must not lift every cap.
   */
  tier(name: string | undefined): CompiledTier {
    if (name === undefined) return this.defaultTier;
    return this.tiers.get(name) ?? this.defaultTier;
  }

  hasTier(name: string): boolean {
    return this.tiers.has(name);
  }

  private compileQuota(quota: CharacterQuota): CompiledQuota {
    return { name: quota.name, limit: quota.limit, endpoints: quota.endpoints.map((e) => this.indexOf(e)) };
  }
}
