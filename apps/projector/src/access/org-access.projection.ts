import { AccessEventV1, LimitOverride, OrganizationStatus } from '@metergate/contracts';

/** One row of org_access, as the newest event of a batch leaves it. */
export interface OrgAccessRow {
  orgId: string;
  tier: string;
  status: OrganizationStatus;
  limitOverrides: Record<string, LimitOverride>;
  version: number;
  updatedAt: string;
}

/**
 * Every event carries the organization's resulting access, so only the newest one per organization in a
 * batch matters; the database keeps whichever of it and the stored row has the higher version. Replays,
 * duplicates and out-of-order redeliveries therefore leave the same row.
 */
export function newestAccessPerOrg(events: readonly AccessEventV1[]): OrgAccessRow[] {
  const newest = new Map<string, AccessEventV1>();
  for (const event of events) {
    const held = newest.get(event.payload.orgId);
    if (!held || held.payload.aggregateVersion < event.payload.aggregateVersion) {
      newest.set(event.payload.orgId, event);
    }
  }
  return [...newest.values()]
    .map(({ occurredAt, payload }) => ({
      orgId: payload.orgId,
      tier: payload.access.tier,
      status: payload.access.status,
      limitOverrides: payload.access.limitOverrides,
      version: payload.aggregateVersion,
      updatedAt: occurredAt,
    }))
    .sort((a, b) => a.orgId.localeCompare(b.orgId));
}
