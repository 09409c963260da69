import { AccessPolicy, lifetimeCharQuotas } from '@metergate/policy';

export interface PolicyTierRow {
  tier: string;
  isDefault: boolean;
}

export interface PolicyQuotaRow {
  tier: string;
  quotaName: string;
  endpoints: string[];
  limitChars: number;
}

/**
 * The policy's tiers and lifetime character quotas as the rows of policy_tiers and policy_quotas (for the
 * org_quota view). A quota of some models only is left out: usage_lifetime, which the view sums, does not
 * tell models apart (GET /v1/orgs/{orgId}/quota reports it).
 */
export function policyQuotaRows(policy: AccessPolicy): { tiers: PolicyTierRow[]; quotas: PolicyQuotaRow[] } {
  const names = Object.keys(policy.tiers).sort();
  return {
    tiers: names.map((tier) => ({ tier, isDefault: tier === policy.defaultTier })),
    quotas: names.flatMap((tier) =>
      lifetimeCharQuotas(policy.tiers[tier])
        .filter((quota) => quota.models === undefined)
        .map((quota) => ({
          tier,
          quotaName: quota.name,
          endpoints: quota.endpoints,
          limitChars: quota.limit,
        })),
    ),
  };
}
