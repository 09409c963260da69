import {
  AccessAggregate,
  AccessEvent,
  ApiKey,
  ApiKeyPurpose,
  CustomModel,
  FullAccessApplication,
  LimitOverride,
  OrganizationStatus,
} from '@metergate/policy';
import { AccessHistory } from './access-commands';

/** What a command that changes an organization answers with: its access right after the change. */
export interface AccessSummary {
  orgId: string;
  version: number;
  tier: string;
  status: OrganizationStatus;
  limitOverrides: Record<string, LimitOverride>;
}

export interface HistoryEntry {
  version: number;
  eventId: string;
  type: string;
  by: string;
  at: string;
  recordedAt: string;
  [field: string]: unknown;
}

/** A key as lists show it: who made it and whether it still works; never its secret or its digest. */
export interface ApiKeyView {
  keyId: string;
  prefix: string;
  purpose: ApiKeyPurpose;
  name: string;
  status: 'active' | 'revoked';
  createdBy: string;
  createdAt: string;
  revokedBy?: string;
  revokedAt?: string;
}

export interface OrganizationView extends AccessSummary {
  applications: FullAccessApplication[];
  apiKeys: ApiKeyView[];
  models: CustomModel[];
  history: HistoryEntry[];
}

export function toAccessSummary(state: AccessAggregate): AccessSummary {
  return {
    orgId: state.orgId,
    version: state.version,
    tier: state.tier,
    status: state.status,
    limitOverrides: state.limitOverrides,
  };
}

export function toApiKeyView(key: ApiKey): ApiKeyView {
  const view: ApiKeyView = {
    keyId: key.keyId,
    prefix: key.prefix,
    purpose: key.purpose,
    name: key.name,
    status: key.revokedAt === undefined ? 'active' : 'revoked',
    createdBy: key.createdBy,
    createdAt: key.createdAt,
  };
  if (key.revokedBy !== undefined) view.revokedBy = key.revokedBy;
  if (key.revokedAt !== undefined) view.revokedAt = key.revokedAt;
  return view;
}

export function toOrganizationView({ state, events }: AccessHistory): OrganizationView {
  return {
    ...toAccessSummary(state),
    applications: state.applications,
    apiKeys: state.apiKeys.map(toApiKeyView),
    models: state.models,
    history: events.map(({ version, eventId, recordedAt, event }) => ({
      version,
      eventId,
      recordedAt,
      ...shownFacts(event),
    })),
  };
}

/** An event as the history shows it: a key's digest stays out of every answer, whoever may read it. */
function shownFacts(event: AccessEvent): Omit<AccessEvent, 'keyDigest'> {
  if (event.type !== 'ApiKeyIssued') return event;
  const { keyDigest, ...shown } = event;
  void keyDigest;
  return shown;
}
