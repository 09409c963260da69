import {
  CompiledLimit,
  CompiledPolicy,
  LimitOverride,
  LimitUnit,
  QuotaStatus,
  monthIndex,
  monthStartMs,
  quotaStatus,
} from '@metergate/policy';

/** A quota as the organization has it: its tier's, or one an override replaced or added. */
export interface QuotaDefinition {
  name: string;
  endpoints: string[];
  /** Only calls naming one of these models count; absent: every call to the endpoints. */
  models?: string[];
  unit: LimitUnit;
  /** As a policy document writes it. */
  window: 'lifetime' | 'P1M';
  limit: number;
}

export type QuotaView = Omit<QuotaDefinition, 'limit'> &
  QuotaStatus & {
    /** When a monthly quota starts again from zero (the next calendar month in UTC). */
    resetsAt?: string;
  };

export interface OrgQuota {
  orgId: string;
  tier: string;
  status: 'active' | 'suspended';
  quotas: QuotaView[];
}

export interface OrgAccessRow {
  tier: string;
  status: 'active' | 'suspended';
  limitOverrides: Record<string, LimitOverride>;
}

/** Calls and characters of one endpoint and model ('' when the calls named none, or any model). */
export interface UsageTotals {
  endpoint: string;
  model: string;
  calls: number;
  chars: number;
}

/** What the quotas are measured against; a source no quota reads may be left empty. */
export interface QuotaUsage {
  /** usage_lifetime, per endpoint (model ''). */
  lifetime: UsageTotals[];
  /** Every day's usage per endpoint and model: a lifetime quota of some models counts these. */
  lifetimeByModel: UsageTotals[];
  /** This calendar month's (UTC) per endpoint and model. */
  month: UsageTotals[];
  /** Characters of open reservations per endpoint and model (calls 0). */
  reserved: UsageTotals[];
}

/**
 * The organization's quotas (lifetime and calendar-month limits) as the decision API applies them: its
 * tier's limits with its overrides applied by the compiled policy, one entry per distinct limit. An
 * organization on a tier the policy no longer defines has the default tier's, as the decision API does.
 */
export function quotaDefinitions(
  policy: CompiledPolicy,
  tier: string | undefined,
  overrides: Record<string, LimitOverride> | undefined,
): QuotaDefinition[] {
  const table = policy.limitsOf(policy.tier(tier), overrides);
  const quotas = new Map<string, QuotaDefinition>();
  for (const bySlot of table) {
    for (const limits of bySlot) {
      for (const limit of limits) {
        if (!limit.quota) continue;
        // An override's limit is compiled once per endpoint and model it applies to: the same limit.
        const key = `${limit.name}|${limit.unit}|${limit.window.kind}|${limit.limit}|${limit.scopes.join(',')}`;
        if (!quotas.has(key)) quotas.set(key, definition(policy, limit));
      }
    }
  }
  return [...quotas.values()];
}

function definition(policy: CompiledPolicy, limit: CompiledLimit): QuotaDefinition {
  const endpoints = new Set<string>();
  const models = new Set<string>();
  for (const scope of limit.scopes) {
    endpoints.add(policy.endpoints[Math.floor(scope / policy.modelSlots)]);
    const slot = scope % policy.modelSlots;
    if (slot > 0) models.add(policy.models[slot - 1]);
  }
  return {
    name: limit.name,
    endpoints: [...endpoints],
    ...(models.size > 0 && { models: [...models] }),
    unit: limit.unit,
    window: limit.window.kind === 'month' ? 'P1M' : 'lifetime',
    limit: limit.limit,
  };
}

/** Which sources the quotas read, so that no other is queried. */
export function usageNeeded(quotas: QuotaDefinition[]): Record<keyof QuotaUsage, boolean> {
  return {
    lifetime: quotas.some((q) => q.window === 'lifetime' && q.models === undefined),
    lifetimeByModel: quotas.some((q) => q.window === 'lifetime' && q.models !== undefined),
    month: quotas.some((q) => q.window === 'P1M'),
    reserved: quotas.some((q) => q.unit === 'chars'),
  };
}

/**
 * Each quota against what the organization used and holds reserved, by the decision API's rule
 * (quotaStatus): remaining is net of reservations, and a quota is exhausted once nothing remains.
 * Reservations hold characters, so a quota of calls has none.
 */
export function orgQuota(
  orgId: string,
  tier: string,
  status: 'active' | 'suspended',
  quotas: QuotaDefinition[],
  usage: QuotaUsage,
  nowMs: number,
): OrgQuota {
  return {
    orgId,
    tier,
    status,
    quotas: quotas.map((quota): QuotaView => {
      const { limit, ...described } = quota;
      const source =
        quota.window === 'P1M' ? usage.month : quota.models ? usage.lifetimeByModel : usage.lifetime;
      const used = sum(source, quota, quota.unit);
      const reserved = quota.unit === 'chars' ? sum(usage.reserved, quota, 'chars') : 0;
      return {
        ...described,
        ...quotaStatus(limit, used, reserved),
        ...(quota.window === 'P1M' && {
          resetsAt: new Date(monthStartMs(monthIndex(nowMs) + 1)).toISOString(),
        }),
      };
    }),
  };
}

function sum(rows: UsageTotals[], quota: QuotaDefinition, unit: LimitUnit): number {
  let total = 0;
  for (const row of rows) {
    if (!quota.endpoints.includes(row.endpoint)) continue;
    if (quota.models && !quota.models.includes(row.model)) continue;
    total += unit === 'calls' ? row.calls : row.chars;
  }
  return total;
}
