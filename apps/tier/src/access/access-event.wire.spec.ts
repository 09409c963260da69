import { decodeAccessEventV1 } from '@metergate/contracts';
import { AccessEvent, activeApiKeys, evolveAccessAll, initialAccess } from '@metergate/policy';
import { toAccessEventV1 } from './access-event.wire';

const at = '2026-11-28T10:00:00.000Z';
const recordedAt = new Date('2026-11-28T10:00:00.050Z');

const everyKind: AccessEvent[] = [
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
  {
    type: 'FullAccessRequested',
    applicationId: 'a2',
    useCase: 'u',
    intendedUse: 'i',
    risks: 'r',
    commitment: true,
    by: 'sam',
    at,
  },
  {
    type: 'FullAccessApproved',
    applicationId: 'a2',
    from: 'trial',
    tier: 'production',
    note: 'fine',
    by: 'rita',
    at,
  },
  { type: 'OrganizationSuspended', reason: 'spam', by: 'ada', at },
  { type: 'LimitOverrideSet', endpoint: 'generate', override: { perDay: 5, perMinute: null }, by: 'ada', at },
  { type: 'OrganizationReinstated', by: 'ada', at },
  { type: 'LimitOverrideRemoved', endpoint: 'generate', by: 'ada', at },
  {
    type: 'ApiKeyIssued',
    keyId: 'k1',
    prefix: 'mg_trial_AbCd1234',
    purpose: 'trial',
    name: 'ci',
    keyDigest: 'ab'.repeat(32),
    reason: 'for the CI',
    by: 'sam',
    at,
  },
  { type: 'ModelRegistered', model: 'acme-support-v1', by: 'trainer', at },
  {
    type: 'ApiKeyIssued',
    keyId: 'k2',
    prefix: 'mg_prod_0000aaaa',
    purpose: 'production',
    name: 'prod',
    keyDigest: 'cd'.repeat(32),
    by: 'sam',
    at,
  },
  { type: 'ApiKeyRevoked', keyId: 'k1', reason: 'leaked', by: 'ada', at },
  { type: 'TierChanged', from: 'production', to: 'trial', reason: 'contract ended', by: 'ada', at },
];

describe('the wire form of access events', () => {
  it('gives every kind of event a message that consumers decode, with the resulting access', () => {
    let state = initialAccess('org-1', { defaultTier: 'trial' });
    for (const event of everyKind) {
      state = evolveAccessAll(state, [event]);
      const message = JSON.parse(
        JSON.stringify(toAccessEventV1(event, state, `id-${state.version}`, recordedAt)),
      );
      const decoded = decodeAccessEventV1(message);
      expect(decoded.payload).toMatchObject({
        kind: event.type,
        orgId: 'org-1',
        aggregateVersion: state.version,
        actor: event.by,
        access: {
          tier: state.tier,
          status: state.status,
          limitOverrides: state.limitOverrides,
          apiKeys: activeApiKeys(state).map((k) => ({
            keyId: k.keyId,
            prefix: k.prefix,
            purpose: k.purpose,
            digest: k.digest,
          })),
          models: state.models.map((m) => m.name),
        },
      });
      expect(decoded).toMatchObject({
        id: `id-${state.version}`,
        occurredAt: at,
        recordedAt: recordedAt.toISOString(),
      });
    }
  });

  it('carries the approved application, its tier and the reviewer note as facts', () => {
    const approved = everyKind[3];
    const state = evolveAccessAll(initialAccess('org-1', { defaultTier: 'trial' }), everyKind.slice(0, 4));
    expect(toAccessEventV1(approved, state, 'e4', recordedAt).payload).toMatchObject({
      kind: 'FullAccessApproved',
      applicationId: 'a2',
      tier: 'production',
      note: 'fine',
    });
  });
});

describe('the wire form of keys and models', () => {
  const upTo = (n: number) =>
    evolveAccessAll(initialAccess('org-1', { defaultTier: 'trial' }), everyKind.slice(0, n));
  const message = (n: number) => toAccessEventV1(everyKind[n - 1], upTo(n), `e${n}`, recordedAt);

  it('publishes an issued key by its prefix and digest, with who issued it and why', () => {
    expect(message(9).payload).toEqual({
      kind: 'ApiKeyIssued',
      orgId: 'org-1',
      aggregateVersion: 9,
      actor: 'sam',
      keyId: 'k1',
      prefix: 'mg_trial_AbCd1234',
      purpose: 'trial',
      name: 'ci',
      digest: 'ab'.repeat(32),
      reason: 'for the CI',
      access: {
        tier: 'production',
        status: 'active',
        limitOverrides: {},
        apiKeys: [{ keyId: 'k1', prefix: 'mg_trial_AbCd1234', purpose: 'trial', digest: 'ab'.repeat(32) }],
        models: [],
      },
    });
  });

  it('carries the active keys and the models in every later event, and drops a key once revoked', () => {
    expect(message(11).payload.access).toMatchObject({
      apiKeys: [{ keyId: 'k1' }, { keyId: 'k2', purpose: 'production', digest: 'cd'.repeat(32) }],
      models: ['acme-support-v1'],
    });
    expect(message(12).payload).toMatchObject({ kind: 'ApiKeyRevoked', keyId: 'k1', reason: 'leaked' });
    expect(message(12).payload.access.apiKeys.map((k) => k.keyId)).toEqual(['k2']);
    // Losing full access keeps the production key listed: the decision API refuses it by its purpose.
    expect(message(13).payload.access).toMatchObject({ tier: 'trial', apiKeys: [{ keyId: 'k2' }] });
  });

  it('publishes a registered model by its name', () => {
    expect(message(10).payload).toMatchObject({
      kind: 'ModelRegistered',
      model: 'acme-support-v1',
      actor: 'trainer',
    });
  });
});
