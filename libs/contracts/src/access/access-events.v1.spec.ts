import { InvalidEventError } from '../envelope';
import { AccessEventV1, decodeAccessEventV1 } from './access-events.v1';

const valid: AccessEventV1 = {
  type: 'access.event',
  version: 1,
  id: '6f1c1a44-1111-4c2b-9d1e-0a0b0c0d0e0f',
  occurredAt: '2026-11-28T10:00:00.000Z',
  recordedAt: '2026-11-28T10:00:00.010Z',
  payload: {
    kind: 'FullAccessApproved',
    orgId: 'org-1',
    aggregateVersion: 2,
    actor: 'rita',
    applicationId: 'app-1',
    tier: 'production',
    access: {
      tier: 'production',
      status: 'active',
      limitOverrides: { generate: { perDay: null, perMinute: 10 } },
      apiKeys: [
        { keyId: 'k1', prefix: 'mg_prod_AbCd1234', purpose: 'production', digest: 'ab'.repeat(32) },
        { keyId: 'k2', prefix: 'mg_trial_0000aaaa', purpose: 'trial', digest: '0f'.repeat(32) },
      ],
      models: ['support-bot-v2'],
    },
  },
};

const withPayload = (patch: Record<string, unknown>) => ({
  ...valid,
  payload: { ...valid.payload, ...patch },
});

const withAccess = (patch: Record<string, unknown>) =>
  withPayload({ access: { ...valid.payload.access, ...patch } });

const keyIssued = withPayload({
  kind: 'ApiKeyIssued',
  keyId: 'k3',
  prefix: 'mg_trial_zzzz9999',
  purpose: 'trial',
  name: 'ci runner',
  digest: 'cd'.repeat(32),
  applicationId: undefined,
  tier: undefined,
});

describe('decoding access.events.v1', () => {
  it('returns a valid event unchanged', () => {
    expect(decodeAccessEventV1(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
  });

  it('reads an event written before keys and models as an organization with none of either', () => {
    const { apiKeys, models, ...before } = valid.payload.access;
    void apiKeys;
    void models;
    const older = JSON.parse(JSON.stringify(withPayload({ access: before })));
    expect(decodeAccessEventV1(older).payload.access).toEqual({ ...before, apiKeys: [], models: [] });
  });

  it('reads the new facts: a key issued (its digest, never a secret), revoked, a model registered', () => {
    expect(decodeAccessEventV1(JSON.parse(JSON.stringify(keyIssued))).payload).toMatchObject({
      kind: 'ApiKeyIssued',
      keyId: 'k3',
      purpose: 'trial',
      digest: 'cd'.repeat(32),
    });
    for (const fact of [
      { kind: 'ApiKeyRevoked', keyId: 'k3', reason: 'leaked' },
      { kind: 'ModelRegistered', model: 'support-bot-v3' },
    ]) {
      expect(decodeAccessEventV1(withPayload({ ...fact, applicationId: undefined })).payload).toMatchObject(
        fact,
      );
    }
  });

  it('keeps only keyId, prefix, purpose and digest of each key in the access state', () => {
    const decoded = decodeAccessEventV1(
      withAccess({
        apiKeys: [{ ...valid.payload.access.apiKeys[0], key: 'mg_prod_secret', name: 'prod' }],
      }),
    );
    expect(decoded.payload.access.apiKeys).toEqual([valid.payload.access.apiKeys[0]]);
  });

  it.each([
    ['another type', { ...valid, type: 'usage.recorded' }, /expected access.event v1/],
    ['a newer version', { ...valid, version: 2 }, /expected access.event v1/],
    ['an unknown kind', withPayload({ kind: 'TierDeleted' }), /payload.kind/],
    ['a zero aggregateVersion', withPayload({ aggregateVersion: 0 }), /aggregateVersion/],
    ['an orgId with spaces', withPayload({ orgId: 'org 1' }), /orgId/],
    ['no access state', withPayload({ access: undefined }), /payload.access/],
    [
      'an unknown status',
      withPayload({ access: { tier: 't', status: 'gone', limitOverrides: {} } }),
      /status/,
    ],
    [
      'a negative cap',
      withPayload({ access: { tier: 't', status: 'active', limitOverrides: { generate: { perDay: -1 } } } }),
      /perDay/,
    ],
    ['a fact without its fields', withPayload({ applicationId: undefined }), /applicationId/],
    ['an issued key without its digest', withPayload({ ...keyIssued.payload, digest: undefined }), /digest/],
    ['a revocation without its key', withPayload({ kind: 'ApiKeyRevoked' }), /keyId/],
    ['a registration without its model', withPayload({ kind: 'ModelRegistered' }), /model/],
    ['keys that are not a list', withAccess({ apiKeys: {} }), /apiKeys must be a list/],
    [
      'a key of an unknown purpose',
      withAccess({ apiKeys: [{ ...valid.payload.access.apiKeys[0], purpose: 'staging' }] }),
      /apiKeys\[0\]\.purpose/,
    ],
    [
      'a digest that is not SHA-256 hex',
      withAccess({ apiKeys: [{ ...valid.payload.access.apiKeys[0], digest: 'AB'.repeat(32) }] }),
      /apiKeys\[0\]\.digest/,
    ],
    [
      'a key without its id',
      withAccess({ apiKeys: [{ prefix: 'p', purpose: 'trial', digest: 'ab'.repeat(32) }] }),
      /keyId/,
    ],
    ['a model that is not a name', withAccess({ models: ['ok', ''] }), /models\[1\]/],
  ])('refuses %s', (_name, value, message) => {
    expect(() => decodeAccessEventV1(value)).toThrow(InvalidEventError);
    expect(() => decodeAccessEventV1(value)).toThrow(message);
  });
});
