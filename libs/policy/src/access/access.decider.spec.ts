import { API_KEY_RANDOM_BYTES, apiKeyDigest, formatApiKey } from './api-key';
import { AccessCommand, DecisionContext } from './access.commands';
import { decideAccess, MAX_ACTIVE_API_KEYS, MAX_CUSTOM_MODELS } from './access.decider';
import { AccessError, AccessErrorCode } from './access.errors';
import { AccessEvent } from './access.events';
import { evolveAccessAll } from './access.evolve';
import { AccessRules, initialAccess } from './access.state';
import { LimitOverride } from '../limits/limit-override';

const rules: AccessRules = {
  defaultTier: 'trial',
  fullAccessTier: 'production',
  tiers: ['trial', 'production'],
  endpoints: ['generate', 'embed', 'classify'],
  models: ['small', 'medium', 'large'],
};
const now = new Date('2026-11-28T10:00:00.000Z');
const at = now.toISOString();
const context: DecisionContext = { now, rules };

function given(...history: AccessEvent[]) {
  const state = evolveAccessAll(initialAccess('org-1', rules), history);
  return {
    when(command: AccessCommand) {
      const run = () => decideAccess(command, state, context);
      return {
        then(expected: AccessEvent[]): void {
          expect(run()).toEqual(expected);
        },
        thenRefuses(code: AccessErrorCode, message: RegExp, field?: string): void {
          let error: unknown;
          try {
            run();
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(AccessError);
          expect(error).toMatchObject({ code, ...(field && { field }) });
          expect((error as AccessError).message).toMatch(message);
        },
      };
    },
  };
}

const earlier = '2026-11-01T09:00:00.000Z';
const requested = (applicationId = 'app-1'): AccessEvent => ({
  type: 'FullAccessRequested',
  applicationId,
  useCase: 'support chatbot',
  intendedUse: 'answers customer questions',
  risks: 'wrong answers; mitigated by human review',
  commitment: true,
  by: 'alice@acme.test',
  at: earlier,
});
const approved = (applicationId = 'app-1'): AccessEvent => ({
  type: 'FullAccessApproved',
  applicationId,
  from: 'trial',
  tier: 'production',
  by: 'rita',
  at: earlier,
});
const rejected = (applicationId = 'app-1'): AccessEvent => ({
  type: 'FullAccessRejected',
  applicationId,
  reason: 'use case unclear',
  by: 'rita',
  at: earlier,
});
const suspended: AccessEvent = { type: 'OrganizationSuspended', reason: 'spam', by: 'admin', at: earlier };

const submit = (applicationId = 'app-2', commitment = true): AccessCommand => ({
  type: 'SubmitFullAccessApplication',
  applicationId,
  useCase: 'search',
  intendedUse: 'semantic search over docs',
  risks: 'low',
  commitment,
  submittedBy: 'bob@acme.test',
});
const approve = (applicationId = 'app-1', note?: string): AccessCommand => ({
  type: 'ApproveApplication',
  applicationId,
  reviewer: 'rita',
  ...(note !== undefined && { note }),
});
const reject = (applicationId = 'app-1'): AccessCommand => ({
  type: 'RejectApplication',
  applicationId,
  reviewer: 'rita',
  reason: 'incomplete answers',
});

describe('submitting a full-access application', () => {
  it('records the request for a trial organization without a pending application', () => {
    given()
      .when(submit('app-2'))
      .then([
        {
          type: 'FullAccessRequested',
          applicationId: 'app-2',
          useCase: 'search',
          intendedUse: 'semantic search over docs',
          risks: 'low',
          commitment: true,
          by: 'bob@acme.test',
          at,
        },
      ]);
  });

  it('accepts a new application after an earlier one was rejected', () => {
    given(requested('app-1'), rejected('app-1'))
      .when(submit('app-2'))
      .then([
        expect.objectContaining({ type: 'FullAccessRequested', applicationId: 'app-2' }) as AccessEvent,
      ]);
  });

  it('refuses while another application is pending, naming it', () => {
    given(requested('app-1'))
      .when(submit('app-2'))
      .thenRefuses('ACCESS.APPLICATION_PENDING', /app-1 pending/);
  });

  it('refuses an organization already on production', () => {
    given(requested('app-1'), approved('app-1'))
      .when(submit('app-2'))
      .thenRefuses('ACCESS.NOT_ELIGIBLE_TO_APPLY', /already on tier production/);
  });

  it('refuses an organization an admin moved to production directly', () => {
    given({
      type: 'TierChanged',
      from: 'trial',
      to: 'production',
      reason: 'partner',
      by: 'admin',
      at: earlier,
    })
      .when(submit())
      .thenRefuses('ACCESS.NOT_ELIGIBLE_TO_APPLY', /only organizations on trial can apply/);
  });

  it('refuses a suspended organization', () => {
    given(suspended)
      .when(submit())
      .thenRefuses('ACCESS.ORGANIZATION_SUSPENDED', /suspended/);
  });

  it('refuses without the commitment to the usage guidelines, naming the field', () => {
    given()
      .when(submit('app-2', false))
      .thenRefuses('ACCESS.COMMITMENT_REQUIRED', /usage guidelines/, 'commitment');
  });
});

describe('approving an application', () => {
  it('moves the organization from trial to the full-access tier, keeping the note', () => {
    given(requested())
      .when(approve('app-1', 'looks fine'))
      .then([
        {
          type: 'FullAccessApproved',
          applicationId: 'app-1',
          from: 'trial',
          tier: 'production',
          note: 'looks fine',
          by: 'rita',
          at,
        },
      ]);
  });

  it('refuses an application that was already approved', () => {
    given(requested(), approved())
      .when(approve())
      .thenRefuses('ACCESS.APPLICATION_ALREADY_DECIDED', /already approved by rita; it cannot be approved/);
  });

  it('refuses an application that was rejected', () => {
    given(requested(), rejected())
      .when(approve())
      .thenRefuses('ACCESS.APPLICATION_ALREADY_DECIDED', /already rejected by rita; it cannot be approved/);
  });

  it('refuses an unknown application', () => {
    given(requested())
      .when(approve('app-9'))
      .thenRefuses('ACCESS.APPLICATION_NOT_FOUND', /app-9 does not exist/);
  });

  it('refuses while the organization is suspended', () => {
    given(requested(), suspended)
      .when(approve())
      .thenRefuses('ACCESS.ORGANIZATION_SUSPENDED', /reinstate it first/);
  });
});

describe('rejecting an application', () => {
  it('records the reason', () => {
    given(requested())
      .when(reject())
      .then([
        { type: 'FullAccessRejected', applicationId: 'app-1', reason: 'incomplete answers', by: 'rita', at },
      ]);
  });

  it('is allowed while the organization is suspended', () => {
    given(requested(), suspended)
      .when(reject())
      .then([expect.objectContaining({ type: 'FullAccessRejected' }) as AccessEvent]);
  });

  it('refuses an application that was already rejected', () => {
    given(requested(), rejected())
      .when(reject())
      .thenRefuses('ACCESS.APPLICATION_ALREADY_DECIDED', /already rejected by rita; it cannot be rejected/);
  });

  it('refuses an application that was approved', () => {
    given(requested(), approved())
      .when(reject())
      .thenRefuses('ACCESS.APPLICATION_ALREADY_DECIDED', /already approved/);
  });

  it('refuses an unknown application', () => {
    given()
      .when(reject('nope'))
      .thenRefuses('ACCESS.APPLICATION_NOT_FOUND', /nope does not exist/);
  });
});

describe('changing the tier', () => {
  const change = (tier: string): AccessCommand => ({
    type: 'ChangeTier',
    tier,
    reason: 'contract',
    changedBy: 'admin',
  });

  it('records the move with where it came from', () => {
    given()
      .when(change('production'))
      .then([{ type: 'TierChanged', from: 'trial', to: 'production', reason: 'contract', by: 'admin', at }]);
  });

  it('can move a production organization back to trial', () => {
    given(requested(), approved())
      .when(change('trial'))
      .then([{ type: 'TierChanged', from: 'production', to: 'trial', reason: 'contract', by: 'admin', at }]);
  });

  it('is allowed while suspended (an admin override)', () => {
    given(suspended)
      .when(change('production'))
      .then([expect.objectContaining({ to: 'production' }) as AccessEvent]);
  });

  it('refuses a tier the policy does not define, naming the field', () => {
    given()
      .when(change('gold'))
      .thenRefuses('ACCESS.UNKNOWN_TIER', /trial, production/, 'tier');
  });

  it('refuses the tier the organization is already on', () => {
    given()
      .when(change('trial'))
      .thenRefuses('ACCESS.ALREADY_ON_TIER', /already on tier trial/);
  });
});

describe('suspending and reinstating', () => {
  it('suspends an active organization with the reason', () => {
    given()
      .when({ type: 'SuspendOrganization', reason: 'abuse', suspendedBy: 'admin' })
      .then([{ type: 'OrganizationSuspended', reason: 'abuse', by: 'admin', at }]);
  });

  it('refuses to suspend twice', () => {
    given(suspended)
      .when({ type: 'SuspendOrganization', reason: 'again', suspendedBy: 'admin' })
      .thenRefuses('ACCESS.ALREADY_SUSPENDED', /already suspended/);
  });

  it('reinstates a suspended organization', () => {
    given(suspended)
      .when({ type: 'ReinstateOrganization', reinstatedBy: 'admin' })
      .then([{ type: 'OrganizationReinstated', by: 'admin', at }]);
  });

  it('keeps the reason of a reinstatement when given', () => {
    given(suspended)
      .when({ type: 'ReinstateOrganization', reinstatedBy: 'admin', reason: 'appeal upheld' })
      .then([{ type: 'OrganizationReinstated', reason: 'appeal upheld', by: 'admin', at }]);
  });

  it('refuses to reinstate an active organization', () => {
    given()
      .when({ type: 'ReinstateOrganization', reinstatedBy: 'admin' })
      .thenRefuses('ACCESS.NOT_SUSPENDED', /is active; only a suspended organization can be reinstated/);
  });

  it('refuses to reinstate an organization already reinstated', () => {
    given(suspended, { type: 'OrganizationReinstated', by: 'admin', at: earlier })
      .when({ type: 'ReinstateOrganization', reinstatedBy: 'admin' })
      .thenRefuses('ACCESS.NOT_SUSPENDED', /is active/);
  });
});

describe('limit overrides', () => {
  it('sets the given windows only', () => {
    given()
      .when({ type: 'SetLimitOverride', endpoint: 'generate', override: { perDay: 200_000 }, setBy: 'admin' })
      .then([
        { type: 'LimitOverrideSet', endpoint: 'generate', override: { perDay: 200_000 }, by: 'admin', at },
      ]);
  });

  it('keeps null, which lifts a cap', () => {
    given()
      .when({
        type: 'SetLimitOverride',
        endpoint: 'embed',
        override: { perMinute: null, perDay: 10 },
        setBy: 'admin',
      })
      .then([
        {
          type: 'LimitOverrideSet',
          endpoint: 'embed',
          override: { perMinute: null, perDay: 10 },
          by: 'admin',
          at,
        },
      ]);
  });

  it('refuses an override without any window, naming the field', () => {
    given()
      .when({ type: 'SetLimitOverride', endpoint: 'generate', override: {}, setBy: 'admin' })
      .thenRefuses('ACCESS.EMPTY_LIMIT_OVERRIDE', /perMinute or perDay/, 'perMinute');
    given()
      .when({ type: 'SetLimitOverride', endpoint: 'generate', override: { limits: [] }, setBy: 'admin' })
      .thenRefuses('ACCESS.EMPTY_LIMIT_OVERRIDE', /at least one entry of limits/, 'limits');
  });

  it('keeps limits of the general form beside the original fields, in the stored form', () => {
    given()
      .when({
        type: 'SetLimitOverride',
        endpoint: 'generate',
        override: {
          perMinute: 600,
          limits: [
            { unit: 'chars', window: 'PT1M', limit: 40_000, model: 'large' },
            { unit: 'calls', window: 'P1M', limit: null, model: undefined },
            { unit: 'chars', window: 'lifetime', limit: 2_000_000 },
          ],
        },
        setBy: 'admin',
      })
      .then([
        {
          type: 'LimitOverrideSet',
          endpoint: 'generate',
          override: {
            perMinute: 600,
            limits: [
              { unit: 'chars', window: 'PT1M', limit: 40_000, model: 'large' },
              { unit: 'calls', window: 'P1M', limit: null },
              { unit: 'chars', window: 'lifetime', limit: 2_000_000 },
            ],
          },
          by: 'admin',
          at,
        },
      ]);
  });

  it('replaces the whole override of the endpoint, and the state holds what the event says', () => {
    const first: AccessEvent = {
      type: 'LimitOverrideSet',
      endpoint: 'embed',
      override: { perDay: 5, limits: [{ unit: 'chars', window: 'PT1H', limit: 100 }] },
      by: 'admin',
      at: earlier,
    };
    const events = decideAccess(
      {
        type: 'SetLimitOverride',
        endpoint: 'embed',
        override: { limits: [{ unit: 'calls', window: 'PT10S', limit: 3, model: 'small' }] },
        setBy: 'ops',
      },
      evolveAccessAll(initialAccess('org-1', rules), [first]),
      context,
    );
    const state = evolveAccessAll(initialAccess('org-1', rules), [first, ...events]);
    expect(state.limitOverrides).toEqual({
      embed: { limits: [{ unit: 'calls', window: 'PT10S', limit: 3, model: 'small' }] },
    });
  });

  it.each([
    [{ perDay: -1 }, 'ACCESS.INVALID_LIMIT', 'perDay'],
    [{ perMinute: 1.5 }, 'ACCESS.INVALID_LIMIT', 'perMinute'],
    [{ limits: [{ unit: 'tokens', window: 'PT1M', limit: 1 }] }, 'ACCESS.INVALID_LIMIT', 'limits[0].unit'],
    [{ limits: [{ unit: 'calls', window: 'PT1M', limit: -3 }] }, 'ACCESS.INVALID_LIMIT', 'limits[0].limit'],
    [
      {
        limits: [
          { unit: 'calls', window: 'PT1M', limit: 1 },
          { unit: 'calls', window: 'P2M', limit: 1 },
        ],
      },
      'ACCESS.INVALID_LIMIT_WINDOW',
      'limits[1].window',
    ],
    [
      { limits: [{ unit: 'calls', window: 'P32D', limit: 1 }] },
      'ACCESS.INVALID_LIMIT_WINDOW',
      'limits[0].window',
    ],
    [
      { limits: [{ unit: 'chars', window: 'PT1M', limit: 1, model: 'huge' }] },
      'ACCESS.UNKNOWN_MODEL',
      'limits[0].model',
    ],
    [
      { perMinute: 5, limits: [{ unit: 'calls', window: 'PT60S', limit: 10 }] },
      'ACCESS.DUPLICATE_LIMIT',
      'limits[0]',
    ],
    [
      {
        limits: [
          { unit: 'chars', window: 'PT1H', limit: 10, model: 'small' },
          { unit: 'chars', window: 'PT60M', limit: 20, model: 'small' },
        ],
      },
      'ACCESS.DUPLICATE_LIMIT',
      'limits[1]',
    ],
  ] as [LimitOverride, AccessErrorCode, string][])('refuses %j naming %s at %s', (override, code, field) => {
    given()
      .when({ type: 'SetLimitOverride', endpoint: 'generate', override, setBy: 'admin' })
      .thenRefuses(code, new RegExp(field.replace(/[[\].]/g, '\\$&')), field);
  });

  it('accepts the same window in different units or for different models', () => {
    const limits: LimitOverride['limits'] = [
      { unit: 'calls', window: 'PT1M', limit: 10 },
      { unit: 'chars', window: 'PT1M', limit: 10 },
      { unit: 'calls', window: 'PT1M', limit: 10, model: 'small' },
      { unit: 'calls', window: 'PT1M', limit: 10, model: 'large' },
    ];
    given()
      .when({ type: 'SetLimitOverride', endpoint: 'generate', override: { limits }, setBy: 'admin' })
      .then([{ type: 'LimitOverrideSet', endpoint: 'generate', override: { limits }, by: 'admin', at }]);
  });

  it('refuses an endpoint the policy does not know', () => {
    given()
      .when({ type: 'SetLimitOverride', endpoint: 'rerank', override: { perDay: 1 }, setBy: 'admin' })
      .thenRefuses('ACCESS.UNKNOWN_ENDPOINT', /generate, embed, classify/, 'endpoint');
  });

  it('removes an existing override', () => {
    given({
      type: 'LimitOverrideSet',
      endpoint: 'generate',
      override: { perDay: 1 },
      by: 'admin',
      at: earlier,
    })
      .when({ type: 'RemoveLimitOverride', endpoint: 'generate', removedBy: 'admin' })
      .then([{ type: 'LimitOverrideRemoved', endpoint: 'generate', by: 'admin', at }]);
  });

  it('refuses to remove an override that is not there', () => {
    given()
      .when({ type: 'RemoveLimitOverride', endpoint: 'generate', removedBy: 'admin' })
      .thenRefuses('ACCESS.NO_LIMIT_OVERRIDE', /no limit override for generate/);
  });
});

describe('issuing API keys', () => {
  // Fixed bytes stand for the random ones the tier app draws: the decider only ever sees the result.
  const trialKey = formatApiKey('trial', new Uint8Array(API_KEY_RANDOM_BYTES).fill(7));
  const prodKey = formatApiKey('production', new Uint8Array(API_KEY_RANDOM_BYTES).fill(9));
  const issue = (purpose: 'trial' | 'production', keyId = 'key-1', reason?: string): AccessCommand => ({
    type: 'IssueApiKey',
    keyId,
    key: purpose === 'trial' ? trialKey : prodKey,
    purpose,
    name: `${purpose} key`,
    issuedBy: 'platform',
    ...(reason !== undefined && { reason }),
  });
  const issued = (keyId: string, purpose: 'trial' | 'production' = 'trial'): AccessEvent => ({
    type: 'ApiKeyIssued',
    keyId,
    prefix: 'mg_trial_00000000',
    purpose,
    name: keyId,
    keyDigest: 'ab'.repeat(32),
    by: 'platform',
    at: earlier,
  });

  it('records a trial key for a trial organization by its prefix and digest, never the secret', () => {
    const events = decideAccess(issue('trial', 'key-1', 'CI'), initialAccess('org-1', rules), context);
    expect(events).toEqual([
      {
        type: 'ApiKeyIssued',
        keyId: 'key-1',
        prefix: trialKey.slice(0, 'mg_trial_'.length + 8),
        purpose: 'trial',
        name: 'trial key',
        keyDigest: apiKeyDigest(trialKey),
        reason: 'CI',
        by: 'platform',
        at,
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(trialKey.slice(-20));
  });

  it('refuses a production key while the organization has limited access', () => {
    given()
      .when(issue('production'))
      .thenRefuses(
        'ACCESS.PRODUCTION_KEY_REQUIRES_FULL_ACCESS',
        /on trial.*production keys need full access/,
      );
  });

  it('issues a production key once full access is approved', () => {
    given(requested(), approved())
      .when(issue('production'))
      .then([
        expect.objectContaining({
          type: 'ApiKeyIssued',
          purpose: 'production',
          prefix: prodKey.slice(0, 16),
        }),
      ] as AccessEvent[]);
  });

  it('refuses a production key again once the organization is moved back to trial', () => {
    given(requested(), approved(), {
      type: 'TierChanged',
      from: 'production',
      to: 'trial',
      reason: 'contract ended',
      by: 'admin',
      at: earlier,
    })
      .when(issue('production'))
      .thenRefuses('ACCESS.PRODUCTION_KEY_REQUIRES_FULL_ACCESS', /full access/);
  });

  it('refuses any key to a suspended organization', () => {
    given(suspended)
      .when(issue('trial'))
      .thenRefuses('ACCESS.ORGANIZATION_SUSPENDED', /cannot be issued API keys/);
    given(requested(), approved(), suspended)
      .when(issue('production'))
      .thenRefuses('ACCESS.ORGANIZATION_SUSPENDED', /suspended/);
  });

  it('refuses a key that is not of the purpose asked for', () => {
    given(requested(), approved())
      .when({ ...issue('production'), key: trialKey } as AccessCommand)
      .thenRefuses('ACCESS.MALFORMED_API_KEY', /not a production key/, 'key');
  });

  it('refuses a key id the organization already has', () => {
    given(issued('key-1'))
      .when(issue('trial', 'key-1'))
      .thenRefuses('ACCESS.API_KEY_ID_TAKEN', /already has key key-1/);
  });

  it(`refuses a key beyond ${MAX_ACTIVE_API_KEYS} active ones, and counts revoked ones out`, () => {
    const full = Array.from({ length: MAX_ACTIVE_API_KEYS }, (_, i) => issued(`k${i}`));
    given(...full)
      .when(issue('trial', 'one-more'))
      .thenRefuses('ACCESS.TOO_MANY_API_KEYS', /revoke one first/);
    given(...full, { type: 'ApiKeyRevoked', keyId: 'k0', by: 'admin', at: earlier })
      .when(issue('trial', 'one-more'))
      .then([expect.objectContaining({ keyId: 'one-more' }) as AccessEvent]);
  });
});

describe('revoking API keys', () => {
  const issued: AccessEvent = {
    type: 'ApiKeyIssued',
    keyId: 'key-1',
    prefix: 'mg_trial_AbCd1234',
    purpose: 'trial',
    name: 'ci',
    keyDigest: 'ab'.repeat(32),
    by: 'platform',
    at: earlier,
  };
  const revoke = (keyId = 'key-1', reason?: string): AccessCommand => ({
    type: 'RevokeApiKey',
    keyId,
    revokedBy: 'ada',
    ...(reason !== undefined && { reason }),
  });

  it('records who revoked the key and why', () => {
    given(issued)
      .when(revoke('key-1', 'leaked in a public repository'))
      .then([
        { type: 'ApiKeyRevoked', keyId: 'key-1', reason: 'leaked in a public repository', by: 'ada', at },
      ]);
  });

  it('is allowed while the organization is suspended', () => {
    given(issued, suspended)
      .when(revoke())
      .then([{ type: 'ApiKeyRevoked', keyId: 'key-1', by: 'ada', at }]);
  });

  it('refuses an unknown key as not found', () => {
    given(issued)
      .when(revoke('key-9'))
      .thenRefuses('ACCESS.API_KEY_NOT_FOUND', /no key key-9/);
  });

  it('refuses to revoke a key twice, naming who revoked it', () => {
    given(issued, { type: 'ApiKeyRevoked', keyId: 'key-1', by: 'ada', at: earlier })
      .when(revoke())
      .thenRefuses('ACCESS.API_KEY_ALREADY_REVOKED', /mg_trial_AbCd1234\) was already revoked by ada/);
  });
});

describe('registering custom models', () => {
  const register = (model: string): AccessCommand => ({
    type: 'RegisterModel',
    model,
    registeredBy: 'trainer',
  });

  it('records a model of an organization with full access', () => {
    given(requested(), approved())
      .when(register('acme-support-v1'))
      .then([{ type: 'ModelRegistered', model: 'acme-support-v1', by: 'trainer', at }]);
  });

  it('refuses an organization with limited access: fine-tuning needs full access', () => {
    given()
      .when(register('acme-support-v1'))
      .thenRefuses('ACCESS.MODEL_REQUIRES_FULL_ACCESS', /custom models needs full access/);
  });

  it('refuses a suspended organization', () => {
    given(requested(), approved(), suspended)
      .when(register('acme-support-v1'))
      .thenRefuses('ACCESS.ORGANIZATION_SUSPENDED', /cannot register models/);
  });

  it("refuses the name of one of the policy's shared models", () => {
    given(requested(), approved())
      .when(register('large'))
      .thenRefuses('ACCESS.MODEL_NAME_TAKEN', /large is a shared model/);
  });

  it('refuses a name the organization registered before', () => {
    given(requested(), approved(), { type: 'ModelRegistered', model: 'm1', by: 'trainer', at: earlier })
      .when(register('m1'))
      .thenRefuses('ACCESS.MODEL_NAME_TAKEN', /already registered a model named m1/);
  });

  it(`refuses a model beyond ${MAX_CUSTOM_MODELS}`, () => {
    const models = Array.from({ length: MAX_CUSTOM_MODELS }, (_, i): AccessEvent => ({
      type: 'ModelRegistered',
      model: `m${i}`,
      by: 'trainer',
      at: earlier,
    }));
    given(requested(), approved(), ...models)
      .when(register('one-more'))
      .thenRefuses('ACCESS.TOO_MANY_MODELS', /the most it may hold/);
  });
});
