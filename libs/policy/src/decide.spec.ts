import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledPolicy } from './compiled-policy';
import { CheckRequest, StaleMode, decide } from './decide';
import { OrgAccess } from './org-access';
import { OrgUsage } from './org-usage';
import { parseAccessPolicy } from './parse-access-policy';
import { recordUsage } from './usage-recording';

const document = JSON.parse(readFileSync(join(__dirname, '../../../config/access-policy.json'), 'utf8')) as {
  tiers: Record<string, Record<string, unknown>>;
};
const policy = new CompiledPolicy(parseAccessPolicy(document));
const GENERATE = policy.indexOf('generate');
const EMBED = policy.indexOf('embed');
const FINETUNE = policy.indexOf('finetune');
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

const check = (endpoint: number, hits = 1, model?: string, chars = 0): CheckRequest => ({
  endpoint,
  model,
  hits,
  chars,
});
const generate = (hits = 1, model?: string) => check(GENERATE, hits, model);
const access = (over: Partial<OrgAccess>): OrgAccess => ({
  tier: 'trial',
  status: 'active',
  limitOverrides: {},
  version: 1,
  ...over,
});

/** An organization as the rules see it, counted with the same recording rule the apps use. */
class Org {
  access: OrgAccess | undefined;
  constructor(
    readonly policy: CompiledPolicy,
    readonly usage = new OrgUsage(policy),
  ) {}
  record(endpoint: number, atMs: number, calls: number, chars = 0, model?: string): void {
    recordUsage(this.policy, this.usage, endpoint, this.policy.modelSlot(model), atMs, calls, chars);
  }
}
const org = (over?: Partial<OrgAccess>) => {
  const o = new Org(policy);
  if (over) o.access = access(over);
  return o;
};

/** Admits `count` checks, `gapMs` apart, as the decision app would. */
function given(o: Org, count: number, request: CheckRequest, startMs: number, gapMs = 0): void {
  for (let i = 0; i < count; i += 1) {
    const at = startMs + i * gapMs;
    expect(decide(o.policy, o, request, at).allowed).toBe(true);
    o.record(request.endpoint, at, request.hits, 0, request.model);
  }
}

describe('decide with the default policy', () => {
  it('allows 60 generate calls within a minute and denies the 61st until the oldest leaves', () => {
    const o = org();
    given(o, 60, generate(), T0, 500);
    const decision = decide(policy, o, generate(), T0 + 30_000);
    expect(decision).toMatchObject({
      allowed: false,
      reason: 'rate_limited',
      tier: 'trial',
      retryAfterSeconds: 31,
    });
    expect(decision.limits.find((l) => l.name === 'generate-minute')).toMatchObject({
      limit: 60,
      remaining: 0,
    });
  });

  it('never lets a call go before a full minute has passed since the oldest counted one', () => {
    const o = org();
    given(o, 60, generate(), T0 + 999, 0);
    expect(decide(policy, o, generate(), T0 + 60_998).allowed).toBe(false);
    expect(decide(policy, o, generate(), T0 + 60_999).allowed).toBe(false);
    expect(decide(policy, o, generate(), T0 + 61_000).allowed).toBe(true);
  });

  it('gives a retry time that covers every call a multi-hit check needs', () => {
    const o = org();
    given(o, 60, generate(), T0, 1000);
    expect(decide(policy, o, generate(3), T0 + 59_500).retryAfterSeconds).toBe(4);
  });

  it('denies a check that alone exceeds the cap with no retry time', () => {
    expect(decide(policy, org(), generate(61), T0)).toMatchObject({
      allowed: false,
      reason: 'rate_limited',
      retryAfterSeconds: null,
    });
  });

  it('counts other endpoints against their own, higher limits', () => {
    const o = org();
    given(o, 60, generate(), T0);
    const decision = decide(policy, o, check(EMBED, 500), T0);
    expect(decision.allowed).toBe(true);
    expect(decision.limits.map((l) => [l.name, l.limit, l.remaining])).toEqual([
      ['embed-minute', 500, 0],
      ['embed-day', 100000, 99500],
    ]);
  });

  it('denies the daily cap even when the last minute is quiet', () => {
    const o = org();
    o.record(GENERATE, T0 - 3_600_000, 50_000);
    const decision = decide(policy, o, generate(), T0);
    expect(decision).toMatchObject({ allowed: false, reason: 'rate_limited' });
    expect(decision.retryAfterSeconds).toBe(23 * 3600 + 60);
  });

  it('a zero-hit check asks without counting and is denied only when no call fits', () => {
    const o = org();
    given(o, 59, generate(), T0);
    expect(decide(policy, o, generate(0), T0).allowed).toBe(true);
    expect(decide(policy, o, generate(0), T0).limits[0].remaining).toBe(1);
    given(o, 1, generate(), T0);
    expect(decide(policy, o, generate(0), T0).allowed).toBe(false);
  });

  it('reports remaining after the call and the reset of a window the call opens', () => {
    const decision = decide(policy, org(), generate(), T0 + 250);
    expect(decision.limits).toEqual([
      {
        name: 'generate-minute',
        unit: 'calls',
        window: 'minute',
        windowSeconds: 60,
        limit: 60,
        used: 0,
        remaining: 59,
        reserved: 0,
        resetSeconds: 61,
      },
      {
        name: 'generate-day',
        unit: 'calls',
        window: 'day',
        windowSeconds: 86400,
        limit: 50000,
        used: 0,
        remaining: 49999,
        reserved: 0,
        resetSeconds: 86460,
      },
      {
        name: 'generate_chars',
        unit: 'chars',
        window: 'lifetime',
        windowSeconds: null,
        limit: 500000,
        used: 0,
        remaining: 500000,
        reserved: 0,
        resetSeconds: null,
      },
    ]);
  });

  it('allows the call that crosses the character quota and suspends generate after it', () => {
    const o = org();
    o.record(GENERATE, T0, 0, 499_999);
    expect(decide(policy, o, generate(), T0).allowed).toBe(true);
    o.record(GENERATE, T0, 0, 5_000);
    expect(decide(policy, o, generate(), T0)).toMatchObject({
      allowed: false,
      reason: 'quota_exhausted',
      retryAfterSeconds: null,
    });
    expect(decide(policy, o, check(EMBED), T0).allowed).toBe(true);
  });

  it('reinstates generate at once when the organization moves to production', () => {
    const o = org({ tier: 'production', version: 2 });
    o.record(GENERATE, T0, 0, 600_000);
    const decision = decide(policy, o, generate(1, 'large'), T0);
    expect(decision).toMatchObject({ allowed: true, reason: null, tier: 'production' });
    expect(decision.limits.map((l) => [l.name, l.limit, l.remaining])).toEqual([
      ['generate-minute', 10000, 9999],
    ]);
  });

  it('allows small and medium models on trial and refuses large', () => {
    const o = org();
    expect(decide(policy, o, generate(1, 'small'), T0).allowed).toBe(true);
    expect(decide(policy, o, generate(1, 'medium'), T0).allowed).toBe(true);
    expect(decide(policy, o, generate(1, 'large'), T0)).toMatchObject({
      allowed: false,
      reason: 'model_not_allowed',
    });
  });

  it('denies everything to a suspended organization', () => {
    expect(
      decide(policy, org({ tier: 'production', status: 'suspended' }), check(EMBED, 1, 'small'), T0),
    ).toMatchObject({ allowed: false, reason: 'suspended', retryAfterSeconds: null });
  });

  it('applies an override instead of the tier limit, and null lifts the cap', () => {
    const o = org({ limitOverrides: { generate: { perMinute: 2, perDay: null } } });
    given(o, 2, generate(), T0);
    const decision = decide(policy, o, generate(), T0);
    expect(decision.reason).toBe('rate_limited');
    expect(decision.limits.map((l) => l.name)).toEqual(['generate-minute', 'generate_chars']);
  });

  it('falls back to the default tier for a tier the policy no longer defines', () => {
    expect(decide(policy, org({ tier: 'retired' }), generate(), T0).tier).toBe('trial');
  });

  describe('entitlements, keys and models', () => {
    it('takes production keys only from an organization with full access', () => {
      const byKey = { ...generate(), keyPurpose: 'production' as const };
      expect(decide(policy, org(), byKey, T0)).toMatchObject({
        allowed: false,
        reason: 'production_requires_full_access',
      });
      expect(decide(policy, org({ tier: 'production' }), byKey, T0).allowed).toBe(true);
      expect(decide(policy, org(), { ...generate(), keyPurpose: 'trial' }, T0).allowed).toBe(true);
    });

    it('keeps fine-tuning for production', () => {
      expect(decide(policy, org(), check(FINETUNE), T0)).toMatchObject({
        allowed: false,
        reason: 'endpoint_not_allowed',
      });
      expect(decide(policy, org({ tier: 'production' }), check(FINETUNE), T0).allowed).toBe(true);
    });

    it('lets an organization use its own models only on a tier that allows them', () => {
      const own = { models: ['acme-ft-1'] };
      expect(decide(policy, org({ tier: 'production', ...own }), generate(1, 'acme-ft-1'), T0).allowed).toBe(
        true,
      );
      expect(decide(policy, org({ tier: 'trial', ...own }), generate(1, 'acme-ft-1'), T0).reason).toBe(
        'model_not_allowed',
      );
      expect(decide(policy, org({ tier: 'production' }), generate(1, 'acme-ft-1'), T0).reason).toBe(
        'model_not_allowed',
      );
    });
  });

  describe('with a stale read model', () => {
    const closed: StaleMode = { rateClosed: true, quotaClosed: true };
    const rateOpen: StaleMode = { rateClosed: false, quotaClosed: true };

    it('closed refuses calls under a rate limit with a short retry', () => {
      expect(decide(policy, org(), check(EMBED), T0, closed)).toMatchObject({
        allowed: false,
        reason: 'rate_limited',
        retryAfterSeconds: 1,
      });
    });

    it('closed refuses calls under a character quota', () => {
      expect(decide(policy, org(), generate(), T0, rateOpen)).toMatchObject({
        allowed: false,
        reason: 'quota_exhausted',
        retryAfterSeconds: 1,
      });
    });

    it('open still denies what the replica itself knows to be over the limit', () => {
      const o = org();
      given(o, 60, generate(), T0);
      expect(decide(policy, o, generate(), T0, { rateClosed: false, quotaClosed: false }).allowed).toBe(
        false,
      );
      expect(decide(policy, org(), check(EMBED), T0, rateOpen).allowed).toBe(true);
    });
  });
});

describe('limits as data', () => {
  const custom = new CompiledPolicy(
    parseAccessPolicy({
      version: 1,
      defaultTier: 'team',
      endpoints: ['generate', 'embed'],
      models: ['small', 'large'],
      tiers: {
        team: {
          models: ['small', 'large'],
          limits: [
            {
              name: 'large-minute',
              endpoints: ['generate'],
              models: ['large'],
              unit: 'calls',
              window: 'PT1M',
              limit: 2,
            },
            { name: 'tpm', endpoints: ['generate', 'embed'], unit: 'chars', window: 'PT1M', limit: 1000 },
            { name: 'hourly', endpoints: ['embed'], unit: 'calls', window: 'PT1H', limit: 3 },
            { name: 'monthly', endpoints: ['generate'], unit: 'chars', window: 'P1M', limit: 5000 },
          ],
        },
      },
    }),
  );
  const G = custom.indexOf('generate');
  const E = custom.indexOf('embed');
  const team = () => new Org(custom);

  it('limits one model without limiting the others', () => {
    const o = team();
    o.record(G, T0, 2, 0, 'large');
    expect(decide(custom, o, check(G, 1, 'large'), T0)).toMatchObject({
      allowed: false,
      reason: 'rate_limited',
    });
    expect(decide(custom, o, check(G, 1, 'small'), T0).allowed).toBe(true);
    expect(decide(custom, o, check(G, 1), T0).allowed).toBe(true);
  });

  it('counts characters per minute across endpoints and frees them as they leave', () => {
    const o = team();
    o.record(G, T0, 1, 600);
    o.record(E, T0 + 10_000, 1, 400);
    const denied = decide(custom, o, check(G), T0 + 20_000);
    expect(denied).toMatchObject({ allowed: false, reason: 'rate_limited', retryAfterSeconds: 41 });
    expect(decide(custom, o, check(G), T0 + 61_000).allowed).toBe(true);
  });

  it('slides an hour at minute resolution', () => {
    const o = team();
    for (let i = 0; i < 3; i += 1) o.record(E, T0 + i * 60_000, 1);
    expect(decide(custom, o, check(E), T0 + 3_600_000 - 1).allowed).toBe(false);
    expect(decide(custom, o, check(E), T0 + 3_660_000).allowed).toBe(true);
  });

  it('resets a monthly quota when the calendar month changes in UTC', () => {
    const o = team();
    const lastDay = Date.UTC(2026, 11, 31, 23, 59, 0);
    o.record(G, lastDay, 1, 5000);
    const exhausted = decide(custom, o, check(G), lastDay + 30_000);
    expect(exhausted).toMatchObject({ allowed: false, reason: 'quota_exhausted', retryAfterSeconds: 30 });
    expect(decide(custom, o, check(G), Date.UTC(2027, 0, 1, 0, 5)).allowed).toBe(true);
  });

  it('applies an override of the general form, per model', () => {
    const o = team();
    o.access = {
      tier: 'team',
      status: 'active',
      version: 1,
      limitOverrides: { generate: { limits: [{ unit: 'calls', window: 'PT1M', limit: 5, model: 'large' }] } },
    };
    o.record(G, T0, 2, 0, 'large');
    const decision = decide(custom, o, check(G, 1, 'large'), T0);
    expect(decision.allowed).toBe(true);
    expect(decision.limits.find((l) => l.name === 'large-minute')).toMatchObject({ limit: 5, remaining: 2 });
  });

  it('adds an override limit the tier does not have, named after what it counts', () => {
    const o = team();
    o.access = {
      tier: 'team',
      status: 'active',
      version: 1,
      limitOverrides: { embed: { limits: [{ unit: 'chars', window: 'P1D', limit: 10 }] } },
    };
    expect(decide(custom, o, check(E), T0).limits.map((l) => l.name)).toContain('embed-day-chars');
  });

  describe('reservations', () => {
    it('reserves characters against every character limit and denies what does not fit', () => {
      const o = team();
      o.record(G, T0, 1, 4000);
      o.usage.reserve(custom.scope(G, 0), 500);
      const allowed = decide(custom, o, check(G, 1, undefined, 400), T0 + 61_000);
      expect(allowed.allowed).toBe(true);
      expect(allowed.limits.find((l) => l.name === 'monthly')).toMatchObject({
        remaining: 100,
        reserved: 900,
      });
      expect(decide(custom, o, check(G, 1, undefined, 501), T0 + 61_000)).toMatchObject({
        allowed: false,
        reason: 'quota_exhausted',
      });
    });

    it('counts a reservation in a sliding window until it is settled', () => {
      const o = team();
      o.usage.reserve(custom.scope(G, 0), 900);
      expect(decide(custom, o, check(E, 1, undefined, 200), T0)).toMatchObject({
        allowed: false,
        reason: 'rate_limited',
        retryAfterSeconds: 1,
      });
    });

    it('answers a peek with characters without reserving them', () => {
      const peek = decide(custom, team(), check(G, 0, undefined, 800), T0);
      expect(peek.allowed).toBe(true);
      expect(peek.limits.find((l) => l.name === 'tpm')).toMatchObject({ remaining: 1000, reserved: 0 });
    });
  });
});

describe('the policy document', () => {
  it('still reads the original perMinute/perDay shape and names its limits as before', () => {
    const legacy = new CompiledPolicy(
      parseAccessPolicy({
        version: 1,
        defaultTier: 'trial',
        endpoints: ['generate', 'embed'],
        models: ['small'],
        tiers: {
          trial: {
            limits: { generate: { perMinute: 60, perDay: 50000 }, '*': { perMinute: 500, perDay: null } },
            quotas: [
              {
                name: 'generate_chars',
                endpoints: ['generate'],
                limit: 500000,
                unit: 'chars',
                window: 'lifetime',
              },
            ],
            models: ['small'],
          },
        },
      }),
    );
    const names = (endpoint: string) =>
      legacy.defaultTier.limits[legacy.indexOf(endpoint)][0].map((l) => [l.name, l.window.label, l.limit]);
    expect(names('generate')).toEqual([
      ['generate-minute', 'minute', 60],
      ['generate-day', 'day', 50000],
      ['generate_chars', 'lifetime', 500000],
    ]);
    expect(names('embed')).toEqual([['embed-minute', 'minute', 500]]);
    expect(legacy.defaultTier.entitled).toEqual([true, true]);
  });

  it('lists every problem of a bad limit', () => {
    expect(() =>
      parseAccessPolicy({
        version: 1,
        defaultTier: 't',
        endpoints: ['generate'],
        models: ['small'],
        tiers: {
          t: {
            models: ['small'],
            limits: [
              { name: 'x', endpoints: ['nope'], models: ['huge'], unit: 'tokens', window: 'PT0S', limit: -1 },
            ],
          },
        },
      }),
    ).toThrow(
      /limits\[0\]\.endpoints[\s\S]*limits\[0\]\.models[\s\S]*limits\[0\]\.unit[\s\S]*limits\[0\]\.window[\s\S]*limits\[0\]\.limit/,
    );
  });

  it('keeps document tiers unchanged for the default policy', () => {
    expect(Object.keys(document.tiers)).toEqual(['trial', 'production']);
  });
});
