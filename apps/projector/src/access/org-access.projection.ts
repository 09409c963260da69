import { AccessEventV1, ActiveApiKey, LimitOverride, OrganizationStatus } from '@metergate/contracts';

/** One row of org_access, as the newest event of a batch leaves it. */
export interface OrgAccessRow {
  orgId: string;
  tier: string;
  status: OrganizationStatus;
  limitOverrides: Record<string, LimitOverride>;
  /** With their digests: the decision API loads them from here to recognize presented keys. */
  apiKeys: ActiveApiKey[];
  models: string[];
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
      apiKeys: payload.access.apiKeys,
      models: payload.access.models,
      version: payload.aggregateVersion,
      updatedAt: occurredAt,
    }))
    .sort((a, b) => a.orgId.localeCompare(b.orgId));
}

/** The parameters of OrgAccessSql.upsertOrgAccess: one array per column, in its order. */
export function orgAccessUpsertParameters(rows: readonly OrgAccessRow[]): unknown[] {
  return [
    rows.map((r) => r.orgId),
    rows.map((r) => r.tier),
    rows.map((r) => r.status),
    rows.map((r) => JSON.stringify(r.limitOverrides)),
    rows.map((r) => JSON.stringify(r.apiKeys)),
    rows.map((r) => JSON.stringify(r.models)),
    rows.map((r) => r.version),
    rows.map((r) => r.updatedAt),
  ];
}
