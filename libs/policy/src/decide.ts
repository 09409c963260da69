import { LimitUnit } from './access-policy';
import { CompiledLimit, CompiledPolicy, Scope } from './compiled-policy';
import { ApiKeyPurpose } from './access/api-key';
import { DenyReason } from './deny-reasons';
import { OrgAccess } from './org-access';
import { SlidingWindow, msUntilFreed } from './sliding-window';
import { quotaStatus } from './limits/quota-status';
import { monthIndex, monthStartMs, SECOND_MS } from './limits/window';

/** What a limit reads of one organization's usage; the decision app's store implements it. */
export interface UsageReader {
  /** The scope's buckets of a track, if it has any. */
  window(scope: Scope, track: number): SlidingWindow | undefined;
  /** Units counted in the scope over the organization's lifetime, or in the calendar month of `nowMs`. */
  period(scope: Scope, unit: LimitUnit, period: 'lifetime' | 'month', nowMs: number): number;
  /** Characters reserved in the scope by admitted calls not committed, released or expired yet. */
  reserved(scope: Scope): number;
}

export interface LimitState {
  name: string;
  unit: LimitUnit;
  /** `minute`, `hour`, `day`, `month`, `lifetime`, or the ISO duration of another sliding window. */
  window: string;
  /** Seconds a sliding window spans, or the current month; null for a lifetime quota. */
  windowSeconds: number | null;
  limit: number;
  /** Units counted in the window (before this call). */
  used: number;
  /** What is left after this call, net of reservations (a denied call takes nothing). */
  remaining: number;
  /** Characters reserved and not settled yet (0 for calls). */
  reserved: number;
  /** Seconds until the oldest counted unit leaves the window or the month ends; null for lifetime. */
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
  /** Characters to reserve against every character limit that applies (0: none). */
  chars: number;
  /** The purpose of the API key the call is made with, when it is made with one. */
  keyPurpose?: ApiKeyPurpose;
}

/** One organization as the rules see it: its access (undefined: default tier, active). */
export interface OrgView {
  access: Omit<OrgAccess, 'version'> | undefined;
  usage: UsageReader;
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

const NEVER = -1;

/**
 * The decision for one check against an organization's usage "prior to the current call". Pure: the
 * caller counts an allowed call. Reasons are judged from the broadest to the narrowest: suspension,
 * entitlement, model, quotas, rate windows; every limit that applies is listed either way.
 */
export function decide(
  policy: CompiledPolicy,
  org: OrgView,
  check: CheckRequest,
  nowMs: number,
  stale: StaleMode = FRESH,
): Decision {
  const access = org.access;
  const tier = policy.tier(access?.tier);
  const slot = policy.modelSlot(check.model);
  const limits = policy.limitsOf(tier, access?.limitOverrides)[check.endpoint][slot];
  const calls = check.hits === 0 ? 1 : check.hits;

  const states: LimitState[] = new Array<LimitState>(limits.length);
  let quotaExhausted = false;
  let rateWait = 0;
  let hasQuota = false;
  let hasRate = false;
  for (let i = 0; i < limits.length; i += 1) {
    const limit = limits[i];
    const need = limit.unit === 'calls' ? calls : check.chars;
    const state = limitState(limit, policy, org.usage, nowMs);
    states[i] = state;
    // Without a reservation a character limit only asks whether anything is left.
    const fits = need > 0 ? need <= state.remaining : state.remaining > 0;
    if (limit.quota) {
      hasQuota = true;
      if (!fits) quotaExhausted = true;
    } else {
      hasRate = true;
      if (!fits) rateWait = combineWaits(rateWait, waitFor(limit, org.usage, state, need, nowMs));
    }
  }

  let reason: DenyReason | null = null;
  let retryAfterSeconds: number | null = null;
  if (check.keyPurpose === 'production' && !tier.fullAccess) reason = 'production_requires_full_access';
  else if (access?.status === 'suspended') reason = 'suspended';
  else if (!tier.entitled[check.endpoint]) reason = 'endpoint_not_allowed';
  else if (check.model !== undefined && !modelAllowed(tier, access, check.model))
    reason = 'model_not_allowed';
  else if (quotaExhausted) {
    reason = 'quota_exhausted';
    retryAfterSeconds = monthlyRetry(limits, states);
  } else if (stale.quotaClosed && hasQuota) {
    reason = 'quota_exhausted';
    retryAfterSeconds = STALE_RETRY_SECONDS;
  } else if (rateWait !== 0) {
    reason = 'rate_limited';
    retryAfterSeconds = rateWait === NEVER ? null : rateWait;
  } else if (stale.rateClosed && hasRate) {
    reason = 'rate_limited';
    retryAfterSeconds = STALE_RETRY_SECONDS;
  }

  const allowed = reason === null;
  if (allowed && check.hits > 0) {
    for (let i = 0; i < limits.length; i += 1) {
      const state = states[i];
      if (limits[i].unit === 'calls') state.remaining = Math.max(0, state.remaining - check.hits);
      else if (check.chars > 0) {
        state.remaining = Math.max(0, state.remaining - check.chars);
        state.reserved += check.chars;
      }
      // In a window that was empty, what is counted now is what resets it.
      if (state.resetSeconds === 0 && limits[i].window.kind === 'sliding')
        state.resetSeconds = secondsUntil(leavesAt(limits[i], nowMs) - nowMs);
    }
  }
  return { allowed, reason, tier: tier.name, retryAfterSeconds, limits: states };
}

/** A shared model of the tier, or one of the organization's own models on a tier that may use them. */
function modelAllowed(
  tier: ReturnType<CompiledPolicy['tier']>,
  access: OrgView['access'],
  model: string,
): boolean {
  if (tier.models.has(model)) return true;
  return tier.fullAccess && (access?.models?.includes(model) ?? false);
}

function limitState(
  limit: CompiledLimit,
  policy: CompiledPolicy,
  usage: UsageReader,
  nowMs: number,
): LimitState {
  const window = limit.window;
  let used = 0;
  let reserved = 0;
  let resetSeconds: number | null = null;
  let windowSeconds: number | null = null;
  if (window.kind === 'sliding') {
    const keep = policy.tracks[limit.track].slots;
    let leaves = 0;
    for (const scope of limit.scopes) {
      const buckets = usage.window(scope, limit.track);
      if (!buckets) continue;
      used += buckets.total(nowMs, window.slots, keep);
      const at = buckets.oldestLeavesAt(nowMs, window.slots);
      if (at > 0 && (leaves === 0 || at < leaves)) leaves = at;
    }
    resetSeconds = leaves === 0 ? 0 : secondsUntil(leaves - nowMs);
    windowSeconds = window.ms / SECOND_MS;
  } else {
    for (const scope of limit.scopes) used += usage.period(scope, limit.unit, window.kind, nowMs);
    if (window.kind === 'month') {
      const month = monthIndex(nowMs);
      windowSeconds = (monthStartMs(month + 1) - monthStartMs(month)) / SECOND_MS;
      resetSeconds = secondsUntil(monthStartMs(month + 1) - nowMs);
    }
  }
  if (limit.unit === 'chars') for (const scope of limit.scopes) reserved += usage.reserved(scope);
  return {
    name: limit.name,
    unit: limit.unit,
    window: window.label,
    windowSeconds,
    limit: limit.limit,
    used,
    // The same rule for a quota and a window: what is left net of what is reserved.
    remaining: quotaStatus(limit.limit, used, reserved).remaining,
    reserved,
    resetSeconds,
  };
}

/** Seconds until `need` more fits in a rate window, or NEVER when it cannot (more than the limit). */
function waitFor(
  limit: CompiledLimit,
  usage: UsageReader,
  state: LimitState,
  need: number,
  nowMs: number,
): number {
  if (need > limit.limit) return NEVER;
  const window = limit.window;
  if (window.kind !== 'sliding') return NEVER;
  const excess = state.used + state.reserved + Math.max(need, 1) - limit.limit;
  // Reservations leave when settled, not with time: when counted usage alone cannot make room, the
  // hint is a short retry.
  const ms =
    excess > state.used
      ? Number.POSITIVE_INFINITY
      : msUntilFreed(
          limit.scopes.map((s) => usage.window(s, limit.track)),
          nowMs,
          window.slots,
          excess,
        );
  return Number.isFinite(ms) ? Math.max(1, secondsUntil(ms)) : STALE_RETRY_SECONDS;
}

function combineWaits(a: number, b: number): number {
  if (a === NEVER || b === NEVER) return NEVER;
  return Math.max(a, b);
}

/** A monthly quota that is used up frees at the month's end; a lifetime one never. */
function monthlyRetry(limits: readonly CompiledLimit[], states: LimitState[]): number | null {
  let retry: number | null = null;
  for (let i = 0; i < limits.length; i += 1) {
    if (!limits[i].quota || states[i].remaining > 0) continue;
    if (limits[i].window.kind === 'lifetime') return null;
    retry = Math.max(retry ?? 0, states[i].resetSeconds ?? 0);
  }
  return retry;
}

function leavesAt(limit: CompiledLimit, nowMs: number): number {
  const window = limit.window;
  if (window.kind !== 'sliding') return nowMs;
  return (Math.floor(nowMs / window.resolutionMs) + window.slots + 1) * window.resolutionMs;
}

function secondsUntil(ms: number): number {
  return Math.ceil(ms / SECOND_MS);
}
