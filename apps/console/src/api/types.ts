// The tier app's answers, as the console reads them (README, "Analysts", "Access control" and "API keys
// and custom models"). A quota's `reserved` is optional: the console shows it once the API gives it.

export type Role = 'analyst' | 'admin';

export type Granularity = 'minute' | 'hour' | 'day';
export type GroupBy = 'endpoint' | 'user' | 'model';
export type TopMetric = 'calls' | 'chars';
export type OrganizationStatus = 'active' | 'suspended';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

/**
 * The decision API's deny reasons, offered as filters and ordered as it judges them. The one list lives in
 * libs/policy (a plain array, no imports), so the console bundles it rather than copying it. Denials carry
 * any lower-case word as their reason, so that a new reason needs no new event version: the console shows
 * whatever reason it is given.
 */
export { DENY_REASONS } from '../../../../libs/policy/src/deny-reasons';
export type ApiKeyPurpose = 'trial' | 'production';
export const API_KEY_PURPOSES: readonly ApiKeyPurpose[] = ['trial', 'production'];

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
/** A limit of the general form (set through the API or the CLI): calls or characters per window. */
export interface LimitOverrideEntry {
  unit: 'calls' | 'chars';
  window: string;
  limit: number | null;
  model?: string;
}

export interface LimitOverride {
  perMinute?: number | null;
  perDay?: number | null;
  limits?: LimitOverrideEntry[];
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
  apiKeys: ApiKey[];
  history: HistoryEntry[];
}

export interface Quota {
  name: string;
  endpoints: string[];
  unit: string;
  window: string;
  limit: number;
  used: number;
  /** Characters held by reservations in flight (remaining is net of them), once the API gives it. */
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

/** An organization among the most denied: its total and its count per reason (reasons without any left out). */
export interface DeniedOrganization {
  orgId: string;
  total: number;
  byReason: Record<string, number>;
}

/** `GET /v1/denials`: the organizations with the most denials in the range, most first. */
export interface DenialsTop {
  from: string;
  to: string;
  reason?: string;
  organizations: DeniedOrganization[];
}

export interface DenialPoint {
  /** Start of the minute, RFC 3339 UTC. */
  minute: string;
  reason: string;
  count: number;
}

/** `GET /v1/orgs/{orgId}/denials`: the organization's denials per minute and reason; empty minutes left out. */
export interface OrgDenials {
  orgId: string;
  from: string;
  to: string;
  series: DenialPoint[];
}

/** A key as `GET /v1/orgs/{orgId}/keys` lists it: never its secret or digest. */
export interface ApiKey {
  keyId: string;
  /** `mg_trial_` or `mg_prod_` and the key's first 8 characters: how people tell keys apart. */
  prefix: string;
  purpose: ApiKeyPurpose;
  name: string;
  status: 'active' | 'revoked';
  createdBy: string;
  createdAt: string;
  revokedBy?: string;
  revokedAt?: string;
}

/** `POST /v1/orgs/{orgId}/keys`: the one answer that holds the key itself, shown once. */
export interface IssuedApiKey {
  keyId: string;
  key: string;
  prefix: string;
  purpose: ApiKeyPurpose;
  name: string;
  createdAt: string;
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
