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
import { CALL_ADMITTED, CallAdmittedPayload, decodeAdmittedPayload } from './call-admitted.v1';

/** One call (or `hits` calls) a replica let through, as v1 carried it alone: its own id and time. */
export interface CallAdmission extends CallAdmittedPayload {
  id: string;
  occurredAt: string;
  /** Characters reserved for the call until its usage event settles them, or `reservedUntil`. */
  chars?: number;
  reservedUntil?: string;
}

/**
 * A replica's admissions of one flush that share a partition, in one record: one record per partition
 * instead of one per call is what Kafka's cost scales with. The envelope's id and times are the record's
 * own (the flush); each admission keeps its call's id and time.
 */
export interface CallAdmittedV2Payload {
  admissions: CallAdmission[];
}

export type CallAdmittedV2 = EventEnvelope<typeof CALL_ADMITTED, 2, CallAdmittedV2Payload>;

export const MAX_ADMISSIONS_PER_RECORD = 10_000;

export function decodeCallAdmittedV2(value: unknown): CallAdmittedV2 {
  const envelope = requireEnvelope(value, CALL_ADMITTED, 2);
  const admissions = (envelope.payload as Record<string, unknown>).admissions;
  if (
    !Array.isArray(admissions) ||
    admissions.length === 0 ||
    admissions.length > MAX_ADMISSIONS_PER_RECORD
  ) {
    throw new InvalidEventError(`admissions must be an array of 1 to ${MAX_ADMISSIONS_PER_RECORD}`);
  }
  return {
    type: CALL_ADMITTED,
    version: 2,
    ...requireEnvelopeFields(envelope, CallFields.callId),
    payload: { admissions: admissions.map(decodeAdmission) },
  };
}

function decodeAdmission(value: unknown): CallAdmission {
  if (!isObject(value)) throw new InvalidEventError('an admission is not an object');
  return {
    id: requireString(value, 'id', CallFields.callId) as string,
    occurredAt: requireTime(value, 'occurredAt'),
    ...decodeAdmittedPayload(value),
  };
}
