import { LimitOverride } from '../org-usage';

export type OrganizationStatus = 'active' | 'suspended';

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

export interface FullAccessApplication {
  applicationId: string;
  status: ApplicationStatus;
  useCase: string;
  intendedUse: string;
  risks: string;
  submittedBy: string;
  submittedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  /** The reviewer's note on approval. */
  note?: string;
  /** Why it was rejected. */
  reason?: string;
}

/** One organization's access, as rebuilt from its own events. */
export interface AccessAggregate {
  orgId: string;
  /** Number of events applied; 0 for an organization the tier service never touched. */
  version: number;
  tier: string;
  status: OrganizationStatus;
  limitOverrides: Record<string, LimitOverride>;
  /** Oldest first. */
  applications: FullAccessApplication[];
}

/** The policy facts the rules depend on, passed in so the decider stays free of configuration. */
export interface AccessRules {
  /** New organizations start here; only organizations on it may apply for full access. */
  defaultTier: string;
  /** Where an approved application moves the organization. */
  fullAccessTier: string;
  tiers: readonly string[];
  endpoints: readonly string[];
}

export function initialAccess(orgId: string, rules: Pick<AccessRules, 'defaultTier'>): AccessAggregate {
  return {
    orgId,
    version: 0,
    tier: rules.defaultTier,
    status: 'active',
    limitOverrides: {},
    applications: [],
  };
}

export function pendingApplication(state: AccessAggregate): FullAccessApplication | undefined {
  return state.applications.find((a) => a.status === 'pending');
}

export function findApplication(
  state: AccessAggregate,
  applicationId: string,
): FullAccessApplication | undefined {
  return state.applications.find((a) => a.applicationId === applicationId);
}
