import { CompiledPolicy, CompiledTier } from './compiled-policy';
import { OrgUsage } from './org-usage';
import { MINUTE_MS, SECOND_MS, SlidingWindow } from './sliding-window';

export type DenyReason = 'rate_limited' | 'quota_exhausted' | 'model_not_allowed' | 'suspended';

export interface LimitState {
  name: string;
  window: 'minute' | 'day' | 'lifetime';
  unit: 'calls' | 'chars';
  limit: number;
  /** What is left after this call (a denied call takes nothing). */
  remaining: number;
  /** Seconds until the oldest counted call leaves the window; null for a lifetime quota, which never resets. */
  resetSeconds: number | null;
}

export interface Decision {
  allowed: boolean;
  reason: DenyReason | null;
  tier: string;
  retryAfterSeconds: number | null;
  limits: LimitState[];
}

export interface CheckRequest {
  /** Index in the policy's endpoints (CompiledPolicy.indexOf). */
  endpoint: number;
  model: string | undefined;
  /** Calls this check adds when allowed; 0 asks whether one call would be allowed, counting nothing. */
  hits: number;
}

/**
 * What to do for a kind of limit when the read model is stale. `open` answers from what this replica
 * knows (a stale model only ever under-counts, so its denials stay sound); `closed` refuses every call
 * the limit applies to, because it cannot be verified.
 */
export interface StaleMode {
  rateClosed: boolean;
  quotaClosed: boolean;
}

export const FRESH: StaleMode = { rateClosed: false, quotaClosed: false };

/** Retry hint for a refusal caused by a stale read model rather than by usage. */
const STALE_RETRY_SECONDS = 1;

/**
 * The decision for one check against an organization's usage "prior to the current call". Pure: the
 * caller counts an allowed call with `admit`. Reasons are checked from the broadest to the narrowest:
 * suspension, model, character quota, rate windows.
 */
export function decide(
  policy: CompiledPolicy,
  org: OrgUsage,
  check: CheckRequest,
  nowMs: number,
  stale: StaleMode = FRESH,
): Decision {
  const access = org.access;
  const tier = policy.tier(access?.tier);
  const endpointName = policy.endpoints[check.endpoint];
  const override = access?.limitOverrides[endpointName];
  const perMinute = override?.perMinute !== undefined ? override.perMinute : tier.perMinute[check.endpoint];
  const perDay = override?.perDay !== undefined ? override.perDay : tier.perDay[check.endpoint];
  const usage = org.usage(check.endpoint);
  const need = check.hits === 0 ? 1 : check.hits;

  const limits: LimitState[] = [];
  const minuteVerdict = windowVerdict(
    `${endpointName}-minute`,
    'minute',
    perMinute,
    usage?.minute,
    need,
    nowMs,
    limits,
  );
  const dayVerdict = windowVerdict(`${endpointName}-day`, 'day', perDay, usage?.day, need, nowMs, limits);
  const quotaExhausted = quotaVerdict(tier, org, check.endpoint, limits);

  let reason: DenyReason | null = null;
  let retryAfterSeconds: number | null = null;
  if (access?.status === 'suspended') reason = 'suspended';
  else if (check.model !== undefined && !tier.models.has(check.model)) reason = 'model_not_allowed';
  else if (quotaExhausted) reason = 'quota_exhausted';
  else if (stale.quotaClosed && tier.quotasByEndpoint[check.endpoint].length > 0) {
    reason = 'quota_exhausted';
    retryAfterSeconds = STALE_RETRY_SECONDS;
  } else if (minuteVerdict !== ALLOW || dayVerdict !== ALLOW) {
    reason = 'rate_limited';
    retryAfterSeconds =
      minuteVerdict === NEVER || dayVerdict === NEVER ? null : Math.max(minuteVerdict, dayVerdict);
  } else if (stale.rateClosed && (perMinute !== null || perDay !== null)) {
    reason = 'rate_limited';
    retryAfterSeconds = STALE_RETRY_SECONDS;
  }

  const allowed = reason === null;
  if (allowed && check.hits > 0) {
    for (const limit of limits) {
      if (limit.unit === 'calls') limit.remaining = Math.max(0, limit.remaining - check.hits);
      // In a window that was empty, the call counted now is the one whose departure resets it.
      if (limit.resetSeconds === 0 && limit.window !== 'lifetime')
        limit.resetSeconds = secondsUntilCurrentBucketLeaves(limit.window, nowMs);
    }
  }
  return { allowed, reason, tier: tier.name, retryAfterSeconds, limits };
}

/** Counts an allowed check in the organization's windows. */
export function admit(org: OrgUsage, check: CheckRequest, nowMs: number): void {
  org.recordCalls(check.endpoint, nowMs, check.hits);
}

function secondsUntilCurrentBucketLeaves(window: 'minute' | 'day', nowMs: number): number {
  const [resolutionMs, slots] = window === 'minute' ? [SECOND_MS, 60] : [MINUTE_MS, 24 * 60];
  return Math.ceil(((Math.floor(nowMs / resolutionMs) + slots) * resolutionMs - nowMs) / 1000);
}

const ALLOW = 0;
const NEVER = -1;

/** ALLOW, NEVER (the check alone exceeds the cap), or seconds until enough calls leave the window. */
function windowVerdict(
  name: string,
  window: 'minute' | 'day',
  cap: number | null,
  counter: SlidingWindow | undefined,
  need: number,
  nowMs: number,
  limits: LimitState[],
): number {
  if (cap === null) return ALLOW;
  const used = counter ? counter.total(nowMs) : 0;
  const resetMs = counter ? counter.msUntilOldestLeaves(nowMs) : 0;
  limits.push({
    name,
    window,
    unit: 'calls',
    limit: cap,
    remaining: Math.max(0, cap - used),
    resetSeconds: Math.ceil(resetMs / 1000),
  });
  if (used + need <= cap) return ALLOW;
  if (need > cap) return NEVER;
  const waitMs = counter ? counter.msUntilFreed(nowMs, used + need - cap) : 0;
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/** Whether a quota covering the endpoint is used up; the call that crosses a quota is the last one allowed. */
function quotaVerdict(tier: CompiledTier, org: OrgUsage, endpoint: number, limits: LimitState[]): boolean {
  let exhausted = false;
  for (const quota of tier.quotasByEndpoint[endpoint]) {
    const used = org.charsUsed(quota.endpoints);
    limits.push({
      name: quota.name,
      window: 'lifetime',
      unit: 'chars',
      limit: quota.limit,
      remaining: Math.max(0, quota.limit - used),
      resetSeconds: null,
    });
    if (used >= quota.limit) exhausted = true;
  }
  return exhausted;
}
