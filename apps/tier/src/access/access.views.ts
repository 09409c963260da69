import { AccessAggregate, FullAccessApplication, LimitOverride, OrganizationStatus } from '@metergate/policy';
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

export interface OrganizationView extends AccessSummary {
  applications: FullAccessApplication[];
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

export function toOrganizationView({ state, events }: AccessHistory): OrganizationView {
  return {
    ...toAccessSummary(state),
    applications: state.applications,
    history: events.map(({ version, eventId, recordedAt, event }) => ({
      version,
      eventId,
      recordedAt,
      ...event,
    })),
  };
}
