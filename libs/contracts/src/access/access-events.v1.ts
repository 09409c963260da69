import { EventEnvelope } from '../envelope';

/**
 * Facts about an organization's access, published on `access.events.v1` (key: orgId) by the tier
 * service's outbox, in aggregate order per organization.
 *
 * Every event also carries `access`: the organization's resulting access state after the fact. Read
 * models (projector, decision replicas) apply it when `aggregateVersion` is newer than what they hold,
 * which makes them idempotent and lets them ignore fact types that do not change access.
 */
export const ACCESS_EVENT_TYPES = [
  'FullAccessRequested',
  'FullAccessApproved',
  'FullAccessRejected',
  'TierChanged',
  'OrganizationSuspended',
  'OrganizationReinstated',
  'LimitOverrideSet',
  'LimitOverrideRemoved',
] as const;

export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

export type OrganizationStatus = 'active' | 'suspended';

/** Per-endpoint limits that replace the tier's for one organization; null lifts that cap. */
export interface LimitOverride {
  perMinute?: number | null;
  perDay?: number | null;
}

export interface AccessState {
  tier: string;
  status: OrganizationStatus;
  limitOverrides: Record<string, LimitOverride>;
}

interface AccessFactBase {
  orgId: string;
  /** Position of this event in the organization's stream, starting at 1. */
  aggregateVersion: number;
  /** Who did it (reviewer, admin, submitter). */
  actor: string;
  access: AccessState;
}

export type AccessFact =
  | (AccessFactBase & {
      kind: 'FullAccessRequested';
      applicationId: string;
      useCase: string;
      intendedUse: string;
      risks: string;
      commitment: true;
    })
  | (AccessFactBase & { kind: 'FullAccessApproved'; applicationId: string; note?: string; tier: string })
  | (AccessFactBase & { kind: 'FullAccessRejected'; applicationId: string; reason: string })
  | (AccessFactBase & { kind: 'TierChanged'; from: string; to: string; reason: string })
  | (AccessFactBase & { kind: 'OrganizationSuspended'; reason: string })
  | (AccessFactBase & { kind: 'OrganizationReinstated'; reason?: string })
  | (AccessFactBase & { kind: 'LimitOverrideSet'; endpoint: string; override: LimitOverride })
  | (AccessFactBase & { kind: 'LimitOverrideRemoved'; endpoint: string });

export const ACCESS_EVENT = 'access.event';

/** Envelope `id` is the event's own unique id; `payload.kind` says which fact it is. */
export type AccessEventV1 = EventEnvelope<typeof ACCESS_EVENT, 1, AccessFact>;
