import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledPolicy } from './compiled-policy';
import { CheckRequest, decide, admit, StaleMode } from './decide';
import { OrgAccess, OrgUsage } from './org-usage';
import { parseAccessPolicy } from './parse-access-policy';

const policy = new CompiledPolicy(
  parseAccessPolicy(JSON.parse(readFileSync(join(__dirname, '../../../config/access-policy.json'), 'utf8'))),
);
const GENERATE = policy.indexOf('generate');
const EMBED = policy.indexOf('embed');
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

const generate = (hits = 1, model?: string): CheckRequest => ({ endpoint: GENERATE, model, hits });
const access = (over: Partial<OrgAccess>): OrgAccess => ({
  tier: 'trial',
  status: 'active',
  limitOverrides: {},
  version: 1,
  ...over,
});

/** Admits `count` single calls, `gapMs` apart, as the decision app would. */
function given(org: OrgUsage, count: number, check: CheckRequest, startMs: number, gapMs = 0): void {
  for (let i = 0; i < count; i += 1) {
    const decision = decide(policy, org, check, startMs + i * gapMs);
    expect(decision.allowed).toBe(true);
    admit(org, check, startMs + i * gapMs);
  }
}

describe('decide with the default policy', () => {
  it('allows 60 generate calls within a minute and denies the 61st until the oldest leaves', () => {
    const org = new OrgUsage();
    given(org, 60, generate(), T0, 500);
    const decision = decide(policy, org, generate(), T0 + 30_000);
    expect(decision).toMatchObject({
      allowed: false,
      reason: 'rate_limited',
      tier: 'trial',
      retryAfterSeconds: 30,
    });
    expect(decision.limits.find((l) => l.name === 'generate-minute')).toMatchObject({
      limit: 60,
      remaining: 0,
    });
  });

  it('allows the call again once the window has slid past the oldest call', () => {
    const org = new OrgUsage();
    given(org, 60, generate(), T0, 500);
    expect(decide(policy, org, generate(), T0 + 59_999).allowed).toBe(false);
    expect(decide(policy, org, generate(), T0 + 60_000).allowed).toBe(true);
  });

  it('gives a retry time that covers every call a multi-hit check needs', () => {
    const org = new OrgUsage();
    given(org, 60, generate(), T0, 1000);
    expect(decide(policy, org, generate(3), T0 + 59_500).retryAfterSeconds).toBe(3);
  });

  it('denies a check that alone exceeds the cap with no retry time', () => {
    const decision = decide(policy, new OrgUsage(), generate(61), T0);
    expect(decision).toMatchObject({ allowed: false, reason: 'rate_limited', retryAfterSeconds: null });
  });

  it('counts other endpoints against their own, higher limits', () => {
    const org = new OrgUsage();
    given(org, 60, generate(), T0);
    const decision = decide(policy, org, { endpoint: EMBED, model: undefined, hits: 500 }, T0);
    expect(decision.allowed).toBe(true);
    expect(decision.limits.map((l) => [l.name, l.limit, l.remaining])).toEqual([
      ['embed-minute', 500, 0],
      ['embed-day', 100000, 99500],
    ]);
  });

  it('denies the daily cap even when the last minute is quiet', () => {
    const org = new OrgUsage();
    org.recordCalls(GENERATE, T0 - 3_600_000, 50_000);
    const decision = decide(policy, org, generate(), T0);
    expect(decision).toMatchObject({ allowed: false, reason: 'rate_limited' });
    expect(decision.retryAfterSeconds).toBe(23 * 3600);
  });

  it('a zero-hit check asks without counting and is denied only when no call fits', () => {
    const org = new OrgUsage();
    given(org, 59, generate(), T0);
    expect(decide(policy, org, generate(0), T0).allowed).toBe(true);
    expect(decide(policy, org, generate(0), T0).limits[0].remaining).toBe(1);
    admit(org, generate(0), T0);
    given(org, 1, generate(), T0);
    expect(decide(policy, org, generate(0), T0).allowed).toBe(false);
  });

  it('reports remaining after the call and the reset of a window the call opens', () => {
    const decision = decide(policy, new OrgUsage(), generate(), T0 + 250);
    expect(decision.limits).toEqual([
      {
        name: 'generate-minute',
        window: 'minute',
        unit: 'calls',
        limit: 60,
        remaining: 59,
        resetSeconds: 60,
      },
      {
        name: 'generate-day',
        window: 'day',
        unit: 'calls',
        limit: 50000,
        remaining: 49999,
        resetSeconds: 86400,
      },
      {
        name: 'generate_chars',
        window: 'lifetime',
        unit: 'chars',
        limit: 500000,
        remaining: 500000,
        resetSeconds: null,
      },
    ]);
  });

  it('allows the call that crosses the character quota and suspends generate after it', () => {
    const org = new OrgUsage();
    org.recordChars(GENERATE, 499_999);
    expect(decide(policy, org, generate(), T0).allowed).toBe(true);
    org.recordChars(GENERATE, 5_000);
    const decision = decide(policy, org, generate(), T0);
    expect(decision).toMatchObject({ allowed: false, reason: 'quota_exhausted', retryAfterSeconds: null });
    expect(decide(policy, org, { endpoint: EMBED, model: undefined, hits: 1 }, T0).allowed).toBe(true);
  });

  it('reinstates generate at once when the organization moves to production', () => {
    const org = new OrgUsage();
    org.recordChars(GENERATE, 600_000);
    org.applyAccess(access({ tier: 'production', version: 2 }));
    const decision = decide(policy, org, generate(1, 'large'), T0);
    expect(decision).toMatchObject({ allowed: true, reason: null, tier: 'production' });
    expect(decision.limits).toEqual([
      {
        name: 'generate-minute',
        window: 'minute',
        unit: 'calls',
        limit: 10000,
        remaining: 9999,
        resetSeconds: 60,
      },
    ]);
  });

  it('allows small and medium models on trial and refuses large', () => {
    const org = new OrgUsage();
    expect(decide(policy, org, generate(1, 'small'), T0).allowed).toBe(true);
    expect(decide(policy, org, generate(1, 'medium'), T0).allowed).toBe(true);
    expect(decide(policy, org, generate(1, 'large'), T0)).toMatchObject({
      allowed: false,
      reason: 'model_not_allowed',
    });
  });

  it('denies everything to a suspended organization', () => {
    const org = new OrgUsage();
    org.applyAccess(access({ tier: 'production', status: 'suspended' }));
    expect(decide(policy, org, { endpoint: EMBED, model: 'small', hits: 1 }, T0)).toMatchObject({
      allowed: false,
      reason: 'suspended',
      retryAfterSeconds: null,
    });
  });

  it('applies an override instead of the tier limit, and null lifts the cap', () => {
    const org = new OrgUsage();
    org.applyAccess(access({ limitOverrides: { generate: { perMinute: 2, perDay: null } } }));
    given(org, 2, generate(), T0);
    const decision = decide(policy, org, generate(), T0);
    expect(decision.reason).toBe('rate_limited');
    expect(decision.limits.map((l) => l.name)).toEqual(['generate-minute', 'generate_chars']);
  });

  it('ignores an access state older than the one it holds', () => {
    const org = new OrgUsage();
    expect(org.applyAccess(access({ tier: 'production', version: 3 }))).toBe(true);
    expect(org.applyAccess(access({ tier: 'trial', version: 2 }))).toBe(false);
    expect(org.applyAccess(access({ tier: 'trial', version: 3 }))).toBe(false);
    expect(decide(policy, org, generate(), T0).tier).toBe('production');
  });

  it('falls back to the default tier for a tier the policy no longer defines', () => {
    const org = new OrgUsage();
    org.applyAccess(access({ tier: 'retired' }));
    expect(decide(policy, org, generate(), T0).tier).toBe('trial');
  });

  describe('with a stale read model', () => {
    const closed: StaleMode = { rateClosed: true, quotaClosed: true };
    const rateOpen: StaleMode = { rateClosed: false, quotaClosed: true };

    it('closed refuses calls under a rate limit with a short retry', () => {
      const decision = decide(
        policy,
        new OrgUsage(),
        { endpoint: EMBED, model: undefined, hits: 1 },
        T0,
        closed,
      );
      expect(decision).toMatchObject({ allowed: false, reason: 'rate_limited', retryAfterSeconds: 1 });
    });

    it('closed refuses calls under a character quota', () => {
      expect(decide(policy, new OrgUsage(), generate(), T0, rateOpen)).toMatchObject({
        allowed: false,
        reason: 'quota_exhausted',
        retryAfterSeconds: 1,
      });
    });

    it('open still denies what the replica itself knows to be over the limit', () => {
      const org = new OrgUsage();
      given(org, 60, generate(), T0);
      expect(decide(policy, org, generate(), T0, { rateClosed: false, quotaClosed: false }).allowed).toBe(
        false,
      );
      expect(
        decide(policy, new OrgUsage(), { endpoint: EMBED, model: undefined, hits: 1 }, T0, rateOpen).allowed,
      ).toBe(true);
    });
  });
});
