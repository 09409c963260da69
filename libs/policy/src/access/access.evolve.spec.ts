import { AccessEvent } from './access.events';
import { evolveAccessAll } from './access.evolve';
import { activeApiKeys, initialAccess } from './access.state';

const at = '2026-11-28T10:00:00.000Z';
const start = initialAccess('org-1', { defaultTier: 'trial' });

describe('rebuilding access from its events', () => {
  it('starts an untouched organization on the default tier, active, at version 0', () => {
    expect(start).toEqual({
      orgId: 'org-1',
      version: 0,
      tier: 'trial',
      status: 'active',
      limitOverrides: {},
      applications: [],
      apiKeys: [],
      models: [],
    });
  });

  it('follows an application from request to approval', () => {
    const state = evolveAccessAll(start, [
      {
        type: 'FullAccessRequested',
        applicationId: 'a1',
        useCase: 'u',
        intendedUse: 'i',
        risks: 'r',
        commitment: true,
        by: 'sam',
        at,
      },
      {
        type: 'FullAccessApproved',
        applicationId: 'a1',
        from: 'trial',
        tier: 'production',
        note: 'ok',
        by: 'rita',
        at,
      },
    ]);
    expect(state).toMatchObject({ version: 2, tier: 'production', status: 'active' });
    expect(state.applications).toEqual([
      {
        applicationId: 'a1',
        status: 'approved',
        useCase: 'u',
        intendedUse: 'i',
        risks: 'r',
        submittedBy: 'sam',
        submittedAt: at,
        decidedBy: 'rita',
        decidedAt: at,
        note: 'ok',
      },
    ]);
  });

  it('keeps the tier when an application is rejected and records why', () => {
    const state = evolveAccessAll(start, [
      {
        type: 'FullAccessRequested',
        applicationId: 'a1',
        useCase: 'u',
        intendedUse: 'i',
        risks: 'r',
        commitment: true,
        by: 'sam',
        at,
      },
      { type: 'FullAccessRejected', applicationId: 'a1', reason: 'vague', by: 'rita', at },
    ]);
    expect(state.tier).toBe('trial');
    expect(state.applications[0]).toMatchObject({ status: 'rejected', reason: 'vague', decidedBy: 'rita' });
  });

  it('applies tier changes, suspensions and limit overrides in order', () => {
    const events: AccessEvent[] = [
      { type: 'TierChanged', from: 'trial', to: 'production', reason: 'deal', by: 'admin', at },
      { type: 'OrganizationSuspended', reason: 'abuse', by: 'admin', at },
      { type: 'LimitOverrideSet', endpoint: 'generate', override: { perDay: 5 }, by: 'admin', at },
      { type: 'LimitOverrideSet', endpoint: 'embed', override: { perMinute: null }, by: 'admin', at },
      { type: 'LimitOverrideRemoved', endpoint: 'generate', by: 'admin', at },
      { type: 'OrganizationReinstated', by: 'admin', at },
    ];
    expect(evolveAccessAll(start, events)).toMatchObject({
      version: 6,
      tier: 'production',
      status: 'active',
      limitOverrides: { embed: { perMinute: null } },
    });
  });

  it('keeps every issued key, marks a revoked one, and lists only the others as active', () => {
    const issued = (keyId: string): AccessEvent => ({
      type: 'ApiKeyIssued',
      keyId,
      prefix: `mg_trial_${keyId}`,
      purpose: 'trial',
      name: `key ${keyId}`,
      keyDigest: keyId.repeat(64).slice(0, 64),
      by: 'platform',
      at,
    });
    const later = '2026-11-29T10:00:00.000Z';
    const state = evolveAccessAll(start, [
      issued('a'),
      issued('b'),
      { type: 'ApiKeyRevoked', keyId: 'a', reason: 'leaked', by: 'ada', at: later },
    ]);
    expect(state.version).toBe(3);
    expect(state.apiKeys).toEqual([
      {
        keyId: 'a',
        prefix: 'mg_trial_a',
        purpose: 'trial',
        name: 'key a',
        digest: 'a'.repeat(64),
        createdBy: 'platform',
        createdAt: at,
        revokedBy: 'ada',
        revokedAt: later,
      },
      expect.objectContaining({ keyId: 'b', digest: 'b'.repeat(64) }),
    ]);
    expect(activeApiKeys(state).map((k) => k.keyId)).toEqual(['b']);
  });

  it('adds registered models in order', () => {
    const state = evolveAccessAll(start, [
      { type: 'ModelRegistered', model: 'm1', by: 'trainer', at },
      { type: 'ModelRegistered', model: 'm2', by: 'ada', at },
    ]);
    expect(state.models).toEqual([
      { name: 'm1', registeredBy: 'trainer', registeredAt: at },
      { name: 'm2', registeredBy: 'ada', registeredAt: at },
    ]);
  });

  it('does not change the state it was given', () => {
    const before = JSON.stringify(start);
    evolveAccessAll(start, [{ type: 'OrganizationSuspended', reason: 'x', by: 'admin', at }]);
    expect(JSON.stringify(start)).toBe(before);
  });
});
