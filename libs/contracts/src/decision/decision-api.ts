import type { DenyReason } from '@metergate/policy';

/** The decision API's wire shapes, the same over HTTP (JSON) and gRPC (decision.proto). */
export interface DecisionCheck {
  /** The organization, or (exactly one of the two) `apiKey`, the key the call is made with. */
  orgId?: string;
  apiKey?: string;
  endpoint: string;
  model?: string;
  userId?: string;
  requestId?: string;
  /** Calls to count when allowed (default 1); 0 asks without counting. */
  hits?: number;
  /** Characters to reserve (prompt plus the most output the call may produce); needs a requestId. */
  chars?: number;
}

/** A policy's denial, or (in a batch) a request id already used for another check. */
export type DecisionDenyReason = DenyReason | 'request_id_conflict';

export interface DecisionLimit {
  name: string;
  unit: 'calls' | 'chars';
  /** `minute`, `hour`, `day`, `month`, `lifetime`, or the ISO 8601 duration of another window. */
  window: string;
  /** Seconds the window spans (the current month for a monthly quota); null for a lifetime quota. */
  windowSeconds: number | null;
  limit: number;
  /** What is left after this call, net of reservations. */
  remaining: number;
  /** Characters reserved by admitted calls not settled yet (0 for a limit of calls). */
  reserved: number;
  /** Seconds until the oldest counted unit leaves the window, or the month ends; null for lifetime. */
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
  /** For a check made with an API key: the organization it belongs to, and the key's id. */
  orgId?: string;
  keyId?: string;
}

/** The text fields of a check (requestId, orgId, userId, endpoint, model) follow CallFields. */
export const DecisionLimits = {
  maxHits: 1000,
  maxChars: 1_000_000_000,
  maxChecksPerBatch: 1000,
} as const;
