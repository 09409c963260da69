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
    },
  },
};

const withPayload = (patch: Record<string, unknown>) => ({
  ...valid,
  payload: { ...valid.payload, ...patch },
});

describe('decoding access.events.v1', () => {
  it('returns a valid event unchanged', () => {
    expect(decodeAccessEventV1(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
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
  ])('refuses %s', (_name, value, message) => {
    expect(() => decodeAccessEventV1(value)).toThrow(InvalidEventError);
    expect(() => decodeAccessEventV1(value)).toThrow(message);
  });
});
