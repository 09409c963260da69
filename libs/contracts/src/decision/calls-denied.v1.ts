import {
  EventEnvelope,
  InvalidEventError,
  isObject,
  requireEnvelope,
  requireEnvelopeFields,
  requireString,
  requireTime,
} from '../envelope';
import { CallFields } from '../fields/call-fields';
import { TextField } from '../fields/text-field';

export const CALLS_DENIED = 'calls.denied';

/**
 * Why calls were denied: any lower-case word, so that a reason the decision app adds later needs no new
 * version of this event (today rate_limited, quota_exhausted, model_not_allowed, suspended).
 */
export const DENIAL_REASON_PATTERN = /^[a-z_]{1,64}$/;

export const MAX_DENIALS_PER_RECORD = 10_000;
export const MAX_DENIAL_COUNT = 1_000_000_000;
export const MAX_REPLICA_ID_LENGTH = 128;

/** A replica's id: printable, like a call id. */
const REPLICA_ID: TextField = { kind: 'key', maxLength: MAX_REPLICA_ID_LENGTH };

/** How many of an organization's checks one replica denied for one reason in the record's minute. */
export interface DenialCount {
  orgId: string;
  reason: string;
  count: number;
}

/**
 * A decision replica's final denial counts for one minute that is over. A replica publishes each
 * (orgId, reason, minute) in at most one record; a record that the replica had to send again (Kafka
 * did not acknowledge it) carries the same counts, so a consumer keeps one count per (replicaId, orgId,
 * minute, reason) and never adds a record to what it already holds.
 */
export interface CallsDeniedV1Payload {
  /** The publishing replica, unique per process: a restarted replica counts under a new id. */
  replicaId: string;
  /** The start of the minute (UTC, RFC 3339, zero seconds); equals the envelope's occurredAt. */
  minute: string;
  /** At most one per (orgId, reason). */
  denials: DenialCount[];
}

export type CallsDeniedV1 = EventEnvelope<typeof CALLS_DENIED, 1, CallsDeniedV1Payload>;

export function decodeCallsDeniedV1(value: unknown): CallsDeniedV1 {
  const envelope = requireEnvelope(value, CALLS_DENIED, 1);
  const payload = envelope.payload as Record<string, unknown>;
  const minute = requireTime(payload, 'minute');
  if (Date.parse(minute) % 60_000 !== 0) throw new InvalidEventError('minute must start a minute');
  const denials = payload.denials;
  if (!Array.isArray(denials) || denials.length === 0 || denials.length > MAX_DENIALS_PER_RECORD) {
    throw new InvalidEventError(`denials must be an array of 1 to ${MAX_DENIALS_PER_RECORD}`);
  }
  const decoded = denials.map(decodeDenialCount);
  const keys = new Set(decoded.map((d) => `${d.reason} ${d.orgId}`));
  if (keys.size !== decoded.length) throw new InvalidEventError('denials repeat an orgId and reason');
  return {
    type: CALLS_DENIED,
    version: 1,
    ...requireEnvelopeFields(envelope, CallFields.callId),
    payload: {
      replicaId: requireString(payload, 'replicaId', REPLICA_ID) as string,
      minute,
      denials: decoded,
    },
  };
}

function decodeDenialCount(value: unknown): DenialCount {
  if (!isObject(value)) throw new InvalidEventError('a denial count is not an object');
  const orgId = requireString(value, 'orgId', CallFields.orgId) as string;
  const reason = value.reason;
  if (typeof reason !== 'string' || !DENIAL_REASON_PATTERN.test(reason)) {
    throw new InvalidEventError('reason must be 1 to 64 of a-z and _');
  }
  const count = value.count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > MAX_DENIAL_COUNT) {
    throw new InvalidEventError(`count must be an integer from 1 to ${MAX_DENIAL_COUNT}`);
  }
  return { orgId, reason, count };
}
