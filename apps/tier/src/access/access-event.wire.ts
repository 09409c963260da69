import { ACCESS_EVENT, AccessEventV1, AccessFact } from '@metergate/contracts';
import { AccessAggregate, AccessEvent, activeApiKeys } from '@metergate/policy';

/**
 * The frozen wire form of one stored event: the fact, who did it, and the organization's resulting
 * access, so that read models can apply it without knowing the rules.
 */
export function toAccessEventV1(
  event: AccessEvent,
  after: AccessAggregate,
  eventId: string,
  recordedAt: Date,
): AccessEventV1 {
  return {
    type: ACCESS_EVENT,
    version: 1,
    id: eventId,
    occurredAt: event.at,
    recordedAt: recordedAt.toISOString(),
    payload: toFact(event, after),
  };
}

function toFact(event: AccessEvent, after: AccessAggregate): AccessFact {
  const base = {
    orgId: after.orgId,
    aggregateVersion: after.version,
    actor: event.by,
    access: {
      tier: after.tier,
      status: after.status,
      limitOverrides: after.limitOverrides,
      apiKeys: activeApiKeys(after).map(({ keyId, prefix, purpose, digest }) => ({
        keyId,
        prefix,
        purpose,
        digest,
      })),
      models: after.models.map((m) => m.name),
    },
  };
  switch (event.type) {
    case 'FullAccessRequested':
      return {
        ...base,
        kind: event.type,
        applicationId: event.applicationId,
        useCase: event.useCase,
        intendedUse: event.intendedUse,
        risks: event.risks,
        commitment: true,
      };
    case 'FullAccessApproved':
      return {
        ...base,
        kind: event.type,
        applicationId: event.applicationId,
        tier: event.tier,
        ...(event.note !== undefined && { note: event.note }),
      };
    case 'FullAccessRejected':
      return { ...base, kind: event.type, applicationId: event.applicationId, reason: event.reason };
    case 'TierChanged':
      return { ...base, kind: event.type, from: event.from, to: event.to, reason: event.reason };
    case 'OrganizationSuspended':
      return { ...base, kind: event.type, reason: event.reason };
    case 'OrganizationReinstated':
      return { ...base, kind: event.type, ...(event.reason !== undefined && { reason: event.reason }) };
    case 'LimitOverrideSet':
      return { ...base, kind: event.type, endpoint: event.endpoint, override: event.override };
    case 'LimitOverrideRemoved':
      return { ...base, kind: event.type, endpoint: event.endpoint };
    case 'ApiKeyIssued':
      return {
        ...base,
        kind: event.type,
        keyId: event.keyId,
        prefix: event.prefix,
        purpose: event.purpose,
        name: event.name,
        digest: event.keyDigest,
        ...(event.reason !== undefined && { reason: event.reason }),
      };
    case 'ApiKeyRevoked':
      return {
        ...base,
        kind: event.type,
        keyId: event.keyId,
        ...(event.reason !== undefined && { reason: event.reason }),
      };
    case 'ModelRegistered':
      return { ...base, kind: event.type, model: event.model };
  }
}
