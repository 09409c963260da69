import { parseRfc3339 } from './fields/rfc3339';
import { TextField, textFault } from './fields/text-field';

/**
 * The wire envelope of every event Metergate publishes. Frozen per (type, version): a consumer reads only
 * the versions it knows and rejects the rest, so a producer can never silently change a meaning.
 */
export interface EventEnvelope<TType extends string, TVersion extends number, TPayload> {
  type: TType;
  version: TVersion;
  /** Unique per producer scope (for usage: the client's idempotency key, unique per org). */
  id: string;
  /** When the fact happened (RFC 3339). */
  occurredAt: string;
  /** When Metergate accepted it (RFC 3339). */
  recordedAt: string;
  payload: TPayload;
}

export class InvalidEventError extends Error {
  constructor(readonly reason: string) {
    super(`invalid event: ${reason}`);
  }
}

export function decodeJson(raw: Buffer | string | null): unknown {
  if (raw === null) throw new InvalidEventError('empty message');
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8')) as unknown;
  } catch {
    throw new InvalidEventError('not JSON');
  }
}

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A text field under the same rule the edges validate it with (see TextField); null counts as absent. */
export function requireString(
  obj: Json,
  field: string,
  rule: TextField,
  optional = false,
): string | undefined {
  const value = obj[field];
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw new InvalidEventError(`${field} is missing`);
  }
  const fault = textFault(value, rule);
  if (fault !== undefined) throw new InvalidEventError(`${field} ${fault}`);
  return value as string;
}

export function requireCount(obj: Json, field: string, max: number): number {
  const value = obj[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new InvalidEventError(`${field} must be an integer from 0 to ${max}`);
  }
  return value;
}

export function requireTime(obj: Json, field: string): string {
  const value = obj[field];
  if (parseRfc3339(value) === undefined) throw new InvalidEventError(`${field} must be an RFC 3339 time`);
  return value as string;
}

export function requireEnvelope(value: unknown, type: string, version: number): Json {
  if (!isObject(value)) throw new InvalidEventError('not an object');
  if (value.type !== type || value.version !== version) {
    throw new InvalidEventError(
      `expected ${type} v${version}, got ${String(value.type)} v${String(value.version)}`,
    );
  }
  if (!isObject(value.payload)) throw new InvalidEventError('payload is missing');
  return value;
}

/** The envelope's own fields after requireEnvelope: the event's id and its two times. */
export function requireEnvelopeFields(
  envelope: Json,
  idRule: TextField,
): Pick<EventEnvelope<string, number, unknown>, 'id' | 'occurredAt' | 'recordedAt'> {
  return {
    id: requireString(envelope, 'id', idRule) as string,
    occurredAt: requireTime(envelope, 'occurredAt'),
    recordedAt: requireTime(envelope, 'recordedAt'),
  };
}
