import { AccessEvent } from './access.events';
import { AccessAggregate, FullAccessApplication } from './access.state';

/** Applies one fact. Never refuses: a stored event already happened, whatever today's rules say. */
export function evolveAccess(state: AccessAggregate, event: AccessEvent): AccessAggregate {
  const next: AccessAggregate = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'FullAccessRequested':
      next.applications = [
        ...state.applications,
        {
          applicationId: event.applicationId,
          status: 'pending',
          useCase: event.useCase,
          intendedUse: event.intendedUse,
          risks: event.risks,
          submittedBy: event.by,
          submittedAt: event.at,
        },
      ];
      return next;
    case 'FullAccessApproved':
      next.tier = event.tier;
      next.applications = decideApplication(state, event.applicationId, {
        status: 'approved',
        decidedBy: event.by,
        decidedAt: event.at,
        ...(event.note !== undefined && { note: event.note }),
      });
      return next;
    case 'FullAccessRejected':
      next.applications = decideApplication(state, event.applicationId, {
        status: 'rejected',
        decidedBy: event.by,
        decidedAt: event.at,
        reason: event.reason,
      });
      return next;
    case 'TierChanged':
      next.tier = event.to;
      return next;
    case 'OrganizationSuspended':
      next.status = 'suspended';
      return next;
    case 'OrganizationReinstated':
      next.status = 'active';
      return next;
    case 'LimitOverrideSet':
      next.limitOverrides = { ...state.limitOverrides, [event.endpoint]: { ...event.override } };
      return next;
    case 'LimitOverrideRemoved':
      next.limitOverrides = Object.fromEntries(
        Object.entries(state.limitOverrides).filter(([endpoint]) => endpoint !== event.endpoint),
      );
      return next;
    case 'ApiKeyIssued':
      next.apiKeys = [
        ...state.apiKeys,
        {
          keyId: event.keyId,
          prefix: event.prefix,
          purpose: event.purpose,
          name: event.name,
          digest: event.keyDigest,
          createdBy: event.by,
          createdAt: event.at,
        },
      ];
      return next;
    case 'ApiKeyRevoked':
      next.apiKeys = state.apiKeys.map((k) =>
        k.keyId === event.keyId ? { ...k, revokedBy: event.by, revokedAt: event.at } : k,
      );
      return next;
    case 'ModelRegistered':
      next.models = [...state.models, { name: event.model, registeredBy: event.by, registeredAt: event.at }];
      return next;
  }
}

export function evolveAccessAll(state: AccessAggregate, events: readonly AccessEvent[]): AccessAggregate {
  return events.reduce(evolveAccess, state);
}

function decideApplication(
  state: AccessAggregate,
  applicationId: string,
  decision: Partial<FullAccessApplication>,
): FullAccessApplication[] {
  return state.applications.map((a) => (a.applicationId === applicationId ? { ...a, ...decision } : a));
}
