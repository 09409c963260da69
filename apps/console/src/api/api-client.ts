import { ApiError } from './api-error';
import type {
  AccessSummary,
  ApiKey,
  ApiKeyPurpose,
  Application,
  ApplicationDecision,
  DenialsTop,
  Granularity,
  GroupBy,
  IssuedApiKey,
  LimitOverride,
  OrgDenials,
  OrgQuota,
  Organization,
  Role,
  TopMetric,
  TopUsage,
  UsageSeries,
} from './types';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Who is signed in: the bearer token, and the name that admin actions are recorded under. */
export interface Credentials {
  token: string;
  actor: string;
}

export interface TimeRangeQuery {
  from: string;
  to: string;
}

export interface UsageQuery extends TimeRangeQuery {
  granularity: Granularity;
  groupBy?: GroupBy;
  endpoint?: string;
}

export interface TopQuery extends TimeRangeQuery {
  metric: TopMetric;
  limit: number;
  endpoint?: string;
}

export interface DenialsQuery extends TimeRangeQuery {
  reason?: string;
  limit?: number;
}

type QueryValue = string | number | undefined;

interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  accept?: string;
  /** Admin changes other than reviews name their author in X-Actor. */
  asActor?: boolean;
}

/** `?a=1&b=x` from the defined values, in the order given; empty when none is defined. */
export function queryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The tier app's APIs, on the console's own origin, with the signed-in token. Every refusal is thrown as an ApiError. */
export class ApiClient {
  constructor(
    private readonly credentials: Credentials,
    private readonly fetchFn: FetchLike = (url, init) => fetch(url, init),
  ) {}

  async whoami(): Promise<Role> {
    return (await this.request<{ role: Role }>('GET', '/v1/whoami')).role;
  }

  async pendingApplications(): Promise<Application[]> {
    const answer = await this.request<{ applications: Application[] }>('GET', '/v1/applications', {
      query: { status: 'pending' },
    });
    return answer.applications;
  }

  approve(applicationId: string, note: string | undefined): Promise<ApplicationDecision> {
    const body = { reviewer: this.credentials.actor, ...(note ? { note } : {}) };
    return this.request('POST', `/v1/applications/${encodeURIComponent(applicationId)}/approve`, { body });
  }

  reject(applicationId: string, reason: string): Promise<ApplicationDecision> {
    return this.request('POST', `/v1/applications/${encodeURIComponent(applicationId)}/reject`, {
      body: { reviewer: this.credentials.actor, reason },
    });
  }

  organization(orgId: string): Promise<Organization> {
    return this.request('GET', orgPath(orgId));
  }

  quota(orgId: string): Promise<OrgQuota> {
    return this.request('GET', `${orgPath(orgId)}/quota`);
  }

  usage(orgId: string, query: UsageQuery): Promise<UsageSeries> {
    return this.request('GET', `${orgPath(orgId)}/usage`, { query: { ...query } });
  }

  top(query: TopQuery): Promise<TopUsage> {
    return this.request('GET', '/v1/usage/top', { query: { ...query } });
  }

  topCsv(query: TopQuery): Promise<string> {
    return this.request('GET', '/v1/usage/top', { query: { ...query }, accept: 'text/csv' });
  }

  async keys(orgId: string): Promise<ApiKey[]> {
    return (await this.request<{ keys: ApiKey[] }>('GET', `${orgPath(orgId)}/keys`)).keys;
  }

  /** The answer holds the secret: the caller shows it once and keeps it nowhere. */
  issueKey(orgId: string, purpose: ApiKeyPurpose, name: string): Promise<IssuedApiKey> {
    return this.request('POST', `${orgPath(orgId)}/keys`, { body: { purpose, name }, asActor: true });
  }

  revokeKey(orgId: string, keyId: string, reason: string | undefined): Promise<ApiKey> {
    return this.request('DELETE', `${orgPath(orgId)}/keys/${encodeURIComponent(keyId)}`, {
      query: { reason },
      asActor: true,
    });
  }

  denials(query: DenialsQuery): Promise<DenialsTop> {
    return this.request('GET', '/v1/denials', { query: { ...query } });
  }

  orgDenials(orgId: string, query: TimeRangeQuery): Promise<OrgDenials> {
    return this.request('GET', `${orgPath(orgId)}/denials`, { query: { ...query } });
  }

  suspend(orgId: string, reason: string): Promise<AccessSummary> {
    return this.request('POST', `${orgPath(orgId)}/suspend`, { body: { reason }, asActor: true });
  }

  reinstate(orgId: string, reason: string | undefined): Promise<AccessSummary> {
    return this.request('POST', `${orgPath(orgId)}/reinstate`, {
      body: reason ? { reason } : {},
      asActor: true,
    });
  }

  changeTier(orgId: string, tier: string, reason: string): Promise<AccessSummary> {
    return this.request('PUT', `${orgPath(orgId)}/tier`, { body: { tier, reason }, asActor: true });
  }

  setLimitOverride(orgId: string, endpoint: string, override: LimitOverride): Promise<AccessSummary> {
    return this.request('PUT', `${orgPath(orgId)}/limits`, {
      body: { endpoint, ...override },
      asActor: true,
    });
  }

  removeLimitOverride(orgId: string, endpoint: string): Promise<AccessSummary> {
    return this.request('DELETE', `${orgPath(orgId)}/limits/${encodeURIComponent(endpoint)}`, {
      asActor: true,
    });
  }

  private async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.credentials.token}`,
      accept: options.accept ?? 'application/json',
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.asActor) headers['x-actor'] = this.credentials.actor;
    let response: Response;
    try {
      response = await this.fetchFn(path + queryString(options.query ?? {}), {
        method,
        headers,
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
        // The token is sent only where the console itself was loaded from.
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (error) {
      throw new ApiError(0, error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) throw await ApiError.fromResponse(response);
    if (options.accept === 'text/csv') return (await response.text()) as T;
    return (await response.json()) as T;
  }
}

function orgPath(orgId: string): string {
  return `/v1/orgs/${encodeURIComponent(orgId)}`;
}
