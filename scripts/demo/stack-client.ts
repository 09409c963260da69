import type { DecisionAnswer } from '@metergate/contracts';
import { DemoCall } from './traffic';

export interface StackUrls {
  ingest: string;
  decision: string;
  tier: string;
  projector: string;
}

export interface Tokens {
  service: string;
  admin: string;
}

export interface UsageEvent {
  id: string;
  orgId: string;
  userId: string;
  endpoint: string;
  model: string;
  inputChars: number;
  outputChars: number;
  timestamp: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/** The stack's public APIs, as a gateway (service token) and an admin (admin token) call them. */
export class StackClient {
  constructor(
    readonly urls: StackUrls,
    private readonly tokens: Tokens,
  ) {}

  /** The apps whose /health/ready does not answer 200, with what they answered. */
  async notReady(): Promise<{ app: keyof StackUrls; url: string; problem: string }[]> {
    const apps = Object.entries(this.urls) as [keyof StackUrls, string][];
    const answers = await Promise.all(
      apps.map(async ([app, url]) => {
        const problem = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3_000) }).then(
          async (r) => (r.ok ? undefined : `answered ${r.status}: ${(await r.text()).slice(0, 200)}`),
          (error: Error) => `does not answer (${error.message})`,
        );
        return { app, url, problem };
      }),
    );
    return answers.filter(
      (a): a is { app: keyof StackUrls; url: string; problem: string } => a.problem !== undefined,
    );
  }

  /** `hits: 0` asks without counting a call. */
  decide(call: Omit<DemoCall, 'inputChars' | 'outputChars'>, hits = 1): Promise<DecisionAnswer> {
    const { orgId, userId, endpoint, model } = call;
    return this.post(`${this.urls.decision}/v1/decisions`, this.tokens.service, {
      orgId,
      userId,
      endpoint,
      model,
      hits,
    });
  }

  async recordUsage(events: UsageEvent[]): Promise<void> {
    await this.post(`${this.urls.ingest}/v1/usage`, this.tokens.service, { events });
  }

  async submitApplication(orgId: string, body: Record<string, unknown>): Promise<string> {
    const answer = await this.post<{ applicationId: string }>(
      `${this.urls.tier}/v1/orgs/${orgId}/applications`,
      this.tokens.service,
      body,
    );
    return answer.applicationId;
  }

  async approve(applicationId: string, reviewer: string, note: string): Promise<void> {
    await this.post(`${this.urls.tier}/v1/applications/${applicationId}/approve`, this.tokens.admin, {
      reviewer,
      note,
    });
  }

  async reject(applicationId: string, reviewer: string, reason: string): Promise<void> {
    await this.post(`${this.urls.tier}/v1/applications/${applicationId}/reject`, this.tokens.admin, {
      reviewer,
      reason,
    });
  }

  async suspend(orgId: string, actor: string, reason: string): Promise<void> {
    await this.post(
      `${this.urls.tier}/v1/orgs/${orgId}/suspend`,
      this.tokens.admin,
      { reason },
      { 'x-actor': actor },
    );
  }

  private async post<T>(
    url: string,
    token: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
