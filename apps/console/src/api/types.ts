// The tier app's answers, as the console reads them (README, "Analysts" and "Access control"). Fields
// that other work adds later (keys, reservations, denials) are optional: the console shows them when the
// API has them.

export type Role = 'analyst' | 'admin';

export type Granularity = 'minute' | 'hour' | 'day';
export type GroupBy = 'endpoint' | 'user' | 'model';
export type TopMetric = 'calls' | 'chars';
export type OrganizationStatus = 'active' | 'suspended';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

/**
 * The decision API's deny reasons today (libs/policy DenyReason), offered as filters. Denials carry any
 * lower-case word as their reason, so that a new reason needs no new event version: the console shows
 * whatever reason it is given.
 */
export const DENY_REASONS = ['rate_limited', 'quota_exhausted', 'model_not_allowed', 'suspended'] as const;

export interface Application {
  applicationId: string;
  orgId: string;
  status: ApplicationStatus;
  useCase: string;
  intendedUse: string;
  risks: string;
  submittedBy: string;
  submittedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  note?: string;
  reason?: string;
}

/** A window's cap: absent keeps the tier's limit, null lifts the cap. */
export interface LimitOverride {
  perMinute?: number | null;
  perDay?: number | null;
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

export interface Organization {
  orgId: string;
  version: number;
  tier: string;
  status: OrganizationStatus;
  limitOverrides: Record<string, LimitOverride>;
  applications: Omit<Application, 'orgId'>[];
  history: HistoryEntry[];
}

export interface Quota {
  name: string;
  endpoints: string[];
  unit: string;
  window: string;
  limit: number;
  used: number;
  /** Characters held by reservations in flight, once the API has reservations. */
  reserved?: number;
  remaining: number;
  exhausted: boolean;
}

export interface OrgQuota {
  orgId: string;
  tier: string;
  status: OrganizationStatus;
  quotas: Quota[];
}

export interface UsagePoint {
  bucket: string;
  endpoint?: string;
  userId?: string | null;
  model?: string | null;
  calls: number;
  inputChars: number;
  outputChars: number;
}

export interface UsageSeries {
  orgId: string;
  granularity: Granularity;
  series: UsagePoint[];
}

export interface TopOrganization {
  orgId: string;
  calls: number;
  inputChars: number;
  outputChars: number;
  chars: number;
}

export interface TopUsage {
  metric: TopMetric;
  from: string;
  to: string;
  endpoint?: string;
  organizations: TopOrganization[];
}

/** `GET /v1/denials`: the organizations with the most denials in the range, most first. */
export interface DenialsTop {
  from: string;
  to: string;
  reason?: string;
  organizations: { orgId: string; denials: number }[];
}

/** `GET /v1/orgs/{orgId}/denials`: the organization's denials per minute and reason. */
export interface OrgDenials {
  orgId: string;
  from: string;
  to: string;
  series: { minute: string; reason: string; denials: number }[];
}

/** `GET /v1/orgs/{orgId}/keys`, once keys exist: shown with whichever of these fields the API gives. */
export interface ApiKey {
  keyId: string;
  name?: string;
  prefix?: string;
  createdAt?: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

export interface ApplicationDecision {
  applicationId: string;
  orgId: string;
  status: ApplicationStatus;
  tier: string;
}

export interface AccessSummary {
  orgId: string;
  version: number;
  tier: string;
  status: OrganizationStatus;
  limitOverrides: Record<string, LimitOverride>;
}
