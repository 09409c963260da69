import { DENY_REASONS } from '@metergate/policy';
import { TopDenialRow } from './denials-reader';

export interface DeniedOrganization {
  orgId: string;
  total: number;
  /** Denials per reason; reasons without any are left out. */
  byReason: Record<string, number>;
}

/** The decision API's reasons, in the order CSV columns show them; others (a newer replica's) follow by name. */
const KNOWN_REASONS: readonly string[] = DENY_REASONS;

/** The top query's rows (one per organization and reason, in rank order) as one entry per organization. */
export function deniedOrganizations(rows: readonly TopDenialRow[]): DeniedOrganization[] {
  const organizations: DeniedOrganization[] = [];
  for (const row of rows) {
    let last = organizations[organizations.length - 1];
    if (last?.orgId !== row.org_id) {
      last = { orgId: row.org_id, total: row.total, byReason: {} };
      organizations.push(last);
    }
    last.byReason[row.reason] = row.count;
  }
  return organizations;
}

/**
 * CSV columns: orgId, total, then one per reason: the known ones always (or only the one asked for),
 * and any other that the organizations have, by name.
 */
export function reasonColumns(
  organizations: readonly DeniedOrganization[],
  only: string | undefined,
): string[] {
  if (only !== undefined) return [only];
  const others = new Set<string>();
  for (const org of organizations) {
    for (const reason of Object.keys(org.byReason)) {
      if (!KNOWN_REASONS.includes(reason)) others.add(reason);
    }
  }
  return [...KNOWN_REASONS, ...[...others].sort()];
}
