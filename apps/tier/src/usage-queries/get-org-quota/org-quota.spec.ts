import { CompiledPolicy, parseAccessPolicy } from '@metergate/policy';
import { QuotaUsage, orgQuota, quotaDefinitions, usageNeeded } from './org-quota';

const policy = new CompiledPolicy(
  parseAccessPolicy({
    version: 1,
    defaultTier: 'trial',
    endpoints: ['generate', 'embed', 'classify'],
    models: ['small', 'large'],
    tiers: {
      trial: {
        models: ['small'],
        limits: [
          { name: 'generate-minute', endpoints: ['generate'], unit: 'calls', window: 'PT1M', limit: 60 },
          {
            name: 'text_chars',
            endpoints: ['generate', 'embed'],
            unit: 'chars',
            window: 'lifetime',
            limit: 1000,
          },
          { name: 'monthly_calls', endpoints: ['classify'], unit: 'calls', window: 'P1M', limit: 50 },
        ],
      },
      production: {
        models: ['small', 'large'],
        limits: [
          {
            name: 'large_month',
            endpoints: ['generate'],
            models: ['large'],
            unit: 'chars',
            window: 'P1M',
            limit: 5000,
          },
        ],
      },
    },
  }),
);

const now = Date.parse('2026-12-20T10:00:00Z');
const none: QuotaUsage = { lifetime: [], lifetimeByModel: [], month: [], reserved: [] };

describe('quotaDefinitions', () => {
  it("lists the tier's lifetime and monthly limits, not its sliding windows", () => {
    expect(quotaDefinitions(policy, 'trial', undefined)).toEqual([
      {
        name: 'text_chars',
        endpoints: ['generate', 'embed'],
        unit: 'chars',
        window: 'lifetime',
        limit: 1000,
      },
      { name: 'monthly_calls', endpoints: ['classify'], unit: 'calls', window: 'P1M', limit: 50 },
    ]);
    expect(quotaDefinitions(policy, 'production', {})).toEqual([
      {
        name: 'large_month',
        endpoints: ['generate'],
        models: ['large'],
        unit: 'chars',
        window: 'P1M',
        limit: 5000,
      },
    ]);
  });

  it("gives an organization on a tier the policy no longer has the default tier's, as decisions do", () => {
    expect(quotaDefinitions(policy, 'gold', undefined)).toEqual(quotaDefinitions(policy, 'trial', undefined));
    expect(quotaDefinitions(policy, undefined, undefined)).toEqual(
      quotaDefinitions(policy, 'trial', undefined),
    );
  });

  it('applies overrides as the decision API does: replaced, lifted, added', () => {
    const quotas = quotaDefinitions(policy, 'trial', {
      // Replaces text_chars on generate only: embed keeps the tier's limit over both endpoints.
      generate: {
        perMinute: 5,
        limits: [
          { unit: 'chars', window: 'lifetime', limit: 9000 },
          { unit: 'chars', window: 'P1M', limit: 700, model: 'small' },
        ],
      },
      classify: { limits: [{ unit: 'calls', window: 'P1M', limit: null }] },
    });
    expect(quotas).toEqual([
      { name: 'text_chars', endpoints: ['generate'], unit: 'chars', window: 'lifetime', limit: 9000 },
      {
        name: 'generate-small-month-chars',
        endpoints: ['generate'],
        models: ['small'],
        unit: 'chars',
        window: 'P1M',
        limit: 700,
      },
      {
        name: 'text_chars',
        endpoints: ['generate', 'embed'],
        unit: 'chars',
        window: 'lifetime',
        limit: 1000,
      },
    ]);
  });
});

describe('orgQuota', () => {
  it('measures each quota against its own source, endpoints and models, net of reservations', () => {
    const quotas = [
      ...quotaDefinitions(policy, 'trial', undefined),
      ...quotaDefinitions(policy, 'production', undefined),
    ];
    const usage: QuotaUsage = {
      lifetime: [
        { endpoint: 'generate', model: '', calls: 3, chars: 600 },
        { endpoint: 'embed', model: '', calls: 1, chars: 100 },
        { endpoint: 'classify', model: '', calls: 99, chars: 99_999 },
      ],
      lifetimeByModel: [],
      month: [
        { endpoint: 'classify', model: '', calls: 20, chars: 5 },
        { endpoint: 'classify', model: 'small', calls: 30, chars: 5 },
        { endpoint: 'generate', model: 'large', calls: 2, chars: 4000 },
        { endpoint: 'generate', model: 'small', calls: 9, chars: 9000 },
      ],
      reserved: [
        { endpoint: 'generate', model: 'large', calls: 0, chars: 250 },
        { endpoint: 'embed', model: '', calls: 0, chars: 50 },
        { endpoint: 'classify', model: '', calls: 0, chars: 70 },
      ],
    };
    expect(orgQuota('org-1', 'trial', 'active', quotas, usage, now).quotas).toEqual([
      {
        name: 'text_chars',
        endpoints: ['generate', 'embed'],
        unit: 'chars',
        window: 'lifetime',
        limit: 1000,
        used: 700,
        reserved: 300,
        remaining: 0,
        exhausted: true,
      },
      {
        name: 'monthly_calls',
        endpoints: ['classify'],
        unit: 'calls',
        window: 'P1M',
        limit: 50,
        used: 50,
        reserved: 0,
        remaining: 0,
        exhausted: true,
        resetsAt: '2027-01-01T00:00:00.000Z',
      },
      {
        name: 'large_month',
        endpoints: ['generate'],
        models: ['large'],
        unit: 'chars',
        window: 'P1M',
        limit: 5000,
        used: 4000,
        reserved: 250,
        remaining: 750,
        exhausted: false,
        resetsAt: '2027-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('counts a lifetime quota of some models in the daily rollups, which tell models apart', () => {
    const [quota] = quotaDefinitions(policy, 'trial', {
      generate: { limits: [{ unit: 'calls', window: 'lifetime', limit: 10, model: 'large' }] },
    }).filter((q) => q.models);
    expect(usageNeeded([quota])).toEqual({
      lifetime: false,
      lifetimeByModel: true,
      month: false,
      reserved: false,
    });
    const usage = {
      ...none,
      lifetimeByModel: [
        { endpoint: 'generate', model: 'large', calls: 4, chars: 1 },
        { endpoint: 'generate', model: '', calls: 100, chars: 1 },
      ],
    };
    expect(orgQuota('org-1', 'trial', 'active', [quota], usage, now).quotas[0]).toMatchObject({
      name: 'generate-large-lifetime',
      used: 4,
      reserved: 0,
      remaining: 6,
      exhausted: false,
    });
  });

  it('reports a quota with nothing used as untouched, and asks only for what the quotas read', () => {
    const quotas = quotaDefinitions(policy, 'trial', undefined);
    expect(usageNeeded(quotas)).toEqual({
      lifetime: true,
      lifetimeByModel: false,
      month: true,
      reserved: true,
    });
    expect(orgQuota('org-1', 'trial', 'suspended', quotas, none, now)).toMatchObject({
      status: 'suspended',
      quotas: [
        { used: 0, reserved: 0, remaining: 1000, exhausted: false },
        { used: 0, reserved: 0, remaining: 50, exhausted: false },
      ],
    });
  });
});
