import { decodeAccessEventV1 } from '@metergate/contracts';
import { AccessEvent, evolveAccessAll, initialAccess } from '@metergate/policy';
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
        access: { tier: state.tier, status: state.status, limitOverrides: state.limitOverrides },
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
