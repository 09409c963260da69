import { LimitOverride } from '../limits/limit-override';
import { ApiKeyPurpose } from './api-key';

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

/** A key as the organization holds it; its secret is stored nowhere, only its digest. */
export interface ApiKey {
  keyId: string;
  prefix: string;
  purpose: ApiKeyPurpose;
  name: string;
  /** SHA-256 (hex) of the secret. */
  digest: string;
  createdBy: string;
  createdAt: string;
  revokedBy?: string;
  revokedAt?: string;
}

/** A model the organization made (by fine-tuning) and registered: usable by it alone. */
export interface CustomModel {
  name: string;
  registeredBy: string;
  registeredAt: string;
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
  /** Every key ever issued, oldest first; a revoked one keeps its place with revokedAt. */
  apiKeys: ApiKey[];
  /** Oldest first. */
  models: CustomModel[];
}

/** The policy facts the rules depend on, passed in so the decider stays free of configuration. */
export interface AccessRules {
  /** New organizations start here; only organizations on it may apply for full access. */
  defaultTier: string;
  /** Where an approved application moves the organization. */
  fullAccessTier: string;
  tiers: readonly string[];
  endpoints: readonly string[];
  /** The policy's shared models: a custom model may not take one of their names. */
  models: readonly string[];
}

export function initialAccess(orgId: string, rules: Pick<AccessRules, 'defaultTier'>): AccessAggregate {
  return {
    orgId,
    version: 0,
    tier: rules.defaultTier,
    status: 'active',
    limitOverrides: {},
    applications: [],
    apiKeys: [],
    models: [],
  };
}

/**
 * Whether the organization is past limited access: on any tier but the default one, which is the
 * limited (trial) tier every organization starts on and the only one that may apply for more.
 */
export function hasFullAccess(tier: string, rules: Pick<AccessRules, 'defaultTier'>): boolean {
  return tier !== rules.defaultTier;
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

export function findApiKey(state: AccessAggregate, keyId: string): ApiKey | undefined {
  return state.apiKeys.find((k) => k.keyId === keyId);
}

/** The keys that still open the API: issued and not revoked. */
export function activeApiKeys(state: AccessAggregate): ApiKey[] {
  return state.apiKeys.filter((k) => k.revokedAt === undefined);
}
