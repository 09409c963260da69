/** The decision API's wire shapes, the same over HTTP (JSON) and gRPC (decision.proto). */
export interface DecisionCheck {
  orgId: string;
  endpoint: string;
  model?: string;
  userId?: string;
  requestId?: string;
  /** Calls to count when allowed (default 1); 0 asks without counting. */
  hits?: number;
}

export type DecisionDenyReason = 'rate_limited' | 'quota_exhausted' | 'model_not_allowed' | 'suspended';

export interface DecisionLimit {
  name: string;
  window: 'minute' | 'day' | 'lifetime';
  limit: number;
  remaining: number;
  /** Null for a lifetime quota, which never resets. */
  resetSeconds: number | null;
}

export interface DecisionAnswer {
  allowed: boolean;
  reason: DecisionDenyReason | null;
  tier: string;
  retryAfterSeconds: number | null;
  limits: DecisionLimit[];
  requestId: string;
  /** RFC 3339 time of the newest usage the answer reflects. */
  asOf: string;
}

/** The text fields of a check (requestId, orgId, userId, endpoint, model) follow CallFields. */
export const DecisionLimits = {
  maxHits: 1000,
  maxChecksPerBatch: 1000,
} as const;
