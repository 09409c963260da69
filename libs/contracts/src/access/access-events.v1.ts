import { API_KEY_PURPOSES, ApiKeyPurpose, parseWindow } from '@metergate/policy';
import {
  EventEnvelope,
  InvalidEventError,
  isObject,
  requireEnvelope,
  requireString,
  requireTime,
} from '../envelope';
import { CallFields } from '../fields/call-fields';
import { TextField, textFault } from '../fields/text-field';

/**
 * Facts about an organization's access, published on `access.events.v1` (key: orgId) by the tier
 * service's outbox, in aggregate order per organization.
 *
 * Every event also carries `access`: the organization's resulting access state after the fact. Read
 * models (projector, decision replicas) apply it when `aggregateVersion` is newer than what they hold,
 * which makes them idempotent and lets them ignore fact types that do not change access.
 */
export const ACCESS_EVENT_TYPES = [
  'FullAccessRequested',
  'FullAccessApproved',
  'FullAccessRejected',
  'TierChanged',
  'OrganizationSuspended',
  'OrganizationReinstated',
  'LimitOverrideSet',
  'LimitOverrideRemoved',
  'ApiKeyIssued',
  'ApiKeyRevoked',
  'ModelRegistered',
] as const;

export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

export type OrganizationStatus = 'active' | 'suspended';

/** Per-endpoint limits that replace the tier's for one organization; null lifts that cap. */
/**
 * Limits that replace the tier's on one endpoint for one organization: calls per minute and per day (the
 * original form) and any limit of the general form (a null limit lifts that cap).
 */
export interface LimitOverride {
  perMinute?: number | null;
  perDay?: number | null;
  limits?: LimitOverrideEntry[];
}

export interface LimitOverrideEntry {
  unit: 'calls' | 'chars';
  /** An ISO 8601 duration (PT1M, P1D...), P1M for the calendar month, or lifetime. */
  window: string;
  limit: number | null;
  model?: string;
}

// The purposes are the policy's: access events carry them as it names them.
export { API_KEY_PURPOSES, type ApiKeyPurpose };

/** A key that opens the API, as read models hold it: enough to recognize a presented key, never the key. */
export interface ActiveApiKey {
  keyId: string;
  /** The key's first characters (`mg_prod_AbCd1234`), to name it in logs and answers. */
  prefix: string;
  purpose: ApiKeyPurpose;
  /** SHA-256 of the key, lowercase hex: a presented key is looked up by its digest. */
  digest: string;
}

export interface AccessState {
  tier: string;
  status: OrganizationStatus;
  limitOverrides: Record<string, LimitOverride>;
  /** The organization's issued and unrevoked keys. Events from before keys existed decode with none. */
  apiKeys: ActiveApiKey[];
  /** The custom models it registered, usable by it alone. Events from before models decode with none. */
  models: string[];
}

interface AccessFactBase {
  orgId: string;
  /** Position of this event in the organization's stream, starting at 1. */
  aggregateVersion: number;
  /** Who did it (reviewer, admin, submitter). */
  actor: string;
  access: AccessState;
}

export type AccessFact =
  | (AccessFactBase & {
      kind: 'FullAccessRequested';
      applicationId: string;
      useCase: string;
      intendedUse: string;
      risks: string;
      commitment: true;
    })
  | (AccessFactBase & { kind: 'FullAccessApproved'; applicationId: string; note?: string; tier: string })
  | (AccessFactBase & { kind: 'FullAccessRejected'; applicationId: string; reason: string })
  | (AccessFactBase & { kind: 'TierChanged'; from: string; to: string; reason: string })
  | (AccessFactBase & { kind: 'OrganizationSuspended'; reason: string })
  | (AccessFactBase & { kind: 'OrganizationReinstated'; reason?: string })
  | (AccessFactBase & { kind: 'LimitOverrideSet'; endpoint: string; override: LimitOverride })
  | (AccessFactBase & { kind: 'LimitOverrideRemoved'; endpoint: string })
  | (AccessFactBase & {
      kind: 'ApiKeyIssued';
      keyId: string;
      prefix: string;
      purpose: ApiKeyPurpose;
      name: string;
      /** SHA-256 of the key, lowercase hex; the key itself is never published. */
      digest: string;
      reason?: string;
    })
  | (AccessFactBase & { kind: 'ApiKeyRevoked'; keyId: string; reason?: string })
  | (AccessFactBase & { kind: 'ModelRegistered'; model: string });

export const ACCESS_EVENT = 'access.event';

/** Envelope `id` is the event's own unique id; `payload.kind` says which fact it is. */
export type AccessEventV1 = EventEnvelope<typeof ACCESS_EVENT, 1, AccessFact>;

const FREE_TEXT: TextField = { kind: 'text', maxLength: 10_000 };
const SHORT_TEXT: TextField = { kind: 'text', maxLength: 128 };
const TIER: TextField = { kind: 'text', maxLength: 64 };
/** A key's non-secret prefix, `mg_prod_AbCd1234`. */
const KEY_PREFIX: TextField = { kind: 'identifier', maxLength: 64 };
const DIGEST_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Validates what a consumer read from `access.events.v1`. Unknown fact kinds are refused rather than
 * guessed at; fact fields that no consumer acts on are checked for shape only through `access`.
 */
export function decodeAccessEventV1(value: unknown): AccessEventV1 {
  const envelope = requireEnvelope(value, ACCESS_EVENT, 1);
  const payload = envelope.payload as Record<string, unknown>;
  const kind = payload.kind;
  if (typeof kind !== 'string' || !(ACCESS_EVENT_TYPES as readonly string[]).includes(kind)) {
    throw new InvalidEventError(`payload.kind must be one of ${ACCESS_EVENT_TYPES.join(', ')}`);
  }
  const orgId = requireString(payload, 'orgId', CallFields.orgId) as string;
  const aggregateVersion = payload.aggregateVersion;
  if (
    typeof aggregateVersion !== 'number' ||
    !Number.isSafeInteger(aggregateVersion) ||
    aggregateVersion < 1
  ) {
    throw new InvalidEventError('aggregateVersion must be a positive integer');
  }
  requireString(payload, 'actor', SHORT_TEXT);
  const access = decodeAccessState(payload.access);
  for (const field of factTextFields[kind as AccessEventType]) requireString(payload, field, FREE_TEXT);
  return {
    type: ACCESS_EVENT,
    version: 1,
    id: requireString(envelope, 'id', SHORT_TEXT) as string,
    occurredAt: requireTime(envelope, 'occurredAt'),
    recordedAt: requireTime(envelope, 'recordedAt'),
    payload: { ...payload, orgId, aggregateVersion, access } as AccessFact,
  };
}

const factTextFields: Record<AccessEventType, string[]> = {
  FullAccessRequested: ['applicationId', 'useCase', 'intendedUse', 'risks'],
  FullAccessApproved: ['applicationId', 'tier'],
  FullAccessRejected: ['applicationId', 'reason'],
  TierChanged: ['from', 'to', 'reason'],
  OrganizationSuspended: ['reason'],
  OrganizationReinstated: [],
  LimitOverrideSet: ['endpoint'],
  LimitOverrideRemoved: ['endpoint'],
  ApiKeyIssued: ['keyId', 'prefix', 'purpose', 'name', 'digest'],
  ApiKeyRevoked: ['keyId'],
  ModelRegistered: ['model'],
};

/** The organization's access state an access event carries, checked. */
export function decodeAccessState(value: unknown): AccessState {
  if (!isObject(value)) throw new InvalidEventError('payload.access is missing');
  const tier = requireString(value, 'tier', TIER) as string;
  const status = value.status;
  if (status !== 'active' && status !== 'suspended') {
    throw new InvalidEventError('payload.access.status must be active or suspended');
  }
  if (!isObject(value.limitOverrides))
    throw new InvalidEventError('payload.access.limitOverrides must be an object');
  const limitOverrides: Record<string, LimitOverride> = {};
  for (const [endpoint, raw] of Object.entries(value.limitOverrides)) {
    if (!isObject(raw))
      throw new InvalidEventError(`payload.access.limitOverrides.${endpoint} must be an object`);
    const override: LimitOverride = {};
    for (const window of ['perMinute', 'perDay'] as const) {
      const cap = raw[window];
      if (cap === undefined) continue;
      if (cap !== null && (typeof cap !== 'number' || !Number.isSafeInteger(cap) || cap < 0)) {
        throw new InvalidEventError(
          `payload.access.limitOverrides.${endpoint}.${window} must be null or a count`,
        );
      }
      override[window] = cap;
    }
    if (raw.limits !== undefined) {
      override.limits = decodeList(raw.limits, `limitOverrides.${endpoint}.limits`, decodeOverrideEntry);
    }
    limitOverrides[endpoint] = override;
  }
  return {
    tier,
    status,
    limitOverrides,
    apiKeys: decodeList(value.apiKeys, 'apiKeys', decodeActiveApiKey),
    models: decodeList(value.models, 'models', (model, path) => {
      const fault = textFault(model, CallFields.model);
      if (fault !== undefined) throw new InvalidEventError(`${path} ${fault}`);
      return model as string;
    }),
  };
}

function decodeOverrideEntry(value: unknown, path: string): LimitOverrideEntry {
  if (!isObject(value)) throw new InvalidEventError(`${path} must be an object`);
  const { unit, window, limit, model } = value;
  if (unit !== 'calls' && unit !== 'chars')
    throw new InvalidEventError(`${path}.unit must be calls or chars`);
  if (typeof window !== 'string' || !parseWindow(window))
    throw new InvalidEventError(`${path}.window must be an ISO 8601 duration, P1M or lifetime`);
  if (limit !== null && (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0))
    throw new InvalidEventError(`${path}.limit must be null or a non-negative integer`);
  const entry: LimitOverrideEntry = { unit, window, limit };
  if (model !== undefined) {
    const fault = textFault(model, CallFields.model);
    if (fault !== undefined) throw new InvalidEventError(`${path}.model ${fault}`);
    entry.model = model as string;
  }
  return entry;
}

/** A list of the access state; absent in events written before it existed, which read as empty. */
function decodeList<T>(value: unknown, field: string, decodeItem: (item: unknown, path: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidEventError(`payload.access.${field} must be a list`);
  return value.map((item, i) => decodeItem(item, `payload.access.${field}[${i}]`));
}

function decodeActiveApiKey(value: unknown, path: string): ActiveApiKey {
  if (!isObject(value)) throw new InvalidEventError(`${path} must be an object`);
  const keyId = requireString(value, 'keyId', CallFields.keyId) as string;
  const prefix = requireString(value, 'prefix', KEY_PREFIX) as string;
  const purpose = value.purpose;
  if (!(API_KEY_PURPOSES as readonly unknown[]).includes(purpose)) {
    throw new InvalidEventError(`${path}.purpose must be one of ${API_KEY_PURPOSES.join(', ')}`);
  }
  const digest = value.digest;
  if (typeof digest !== 'string' || !DIGEST_PATTERN.test(digest)) {
    throw new InvalidEventError(`${path}.digest must be a SHA-256 in lowercase hex`);
  }
  // Only these four: whatever else a writer put beside them stays off the read models.
  return { keyId, prefix, purpose: purpose as ApiKeyPurpose, digest };
}
