import { AccessPolicy, LimitDefinition, lifetimeCharQuotas } from '@metergate/policy';

export interface QuotaStatus {
  name: string;
  endpoints: string[];
  unit: LimitDefinition['unit'];
  window: LimitDefinition['window'];
  limit: number;
  used: number;
  remaining: number;
  exhausted: boolean;
}

export interface OrgQuota {
  orgId: string;
  tier: string;
  status: 'active' | 'suspended';
  quotas: QuotaStatus[];
}

/**
 * Each quota of the organization's tier against its lifetime characters, by the decision API's rule: a
 * quota is exhausted once used reaches the limit. A tier the policy no longer has has no quotas.
 */
export function orgQuota(
  policy: AccessPolicy,
  orgId: string,
  access: { tier: string; status: 'active' | 'suspended' } | undefined,
  charsByEndpoint: { endpoint: string; chars: number }[],
): OrgQuota {
  const tier = access?.tier ?? policy.defaultTier;
  const definition = policy.tiers[tier];
  const quotas = (definition ? lifetimeCharQuotas(definition) : []).map((quota): QuotaStatus => {
    const used = charsByEndpoint
      .filter((row) => quota.endpoints.includes(row.endpoint))
      .reduce((sum, row) => sum + row.chars, 0);
    return {
      name: quota.name,
      endpoints: quota.endpoints,
      unit: quota.unit,
      window: quota.window,
      limit: quota.limit,
      used,
      remaining: Math.max(0, quota.limit - used),
      exhausted: used >= quota.limit,
    };
  });
  return { orgId, tier, status: access?.status ?? 'active', quotas };
}
