import {
  EventEnvelope,
  requireCount,
  requireEnvelope,
  requireEnvelopeFields,
  requireTime,
} from '../envelope';
import { CallFields } from '../fields/call-fields';
import { UsageLimits } from '../usage/usage-limits';
import { CallSubject, decodeCallSubject } from '../usage/call-subject';

export const CALL_ADMITTED = 'call.admitted';

/**
 * A decision replica let `hits` calls through. It counts toward the rate windows at once, so that other
 * replicas and restarts see it; the call's own usage event (same id) later adds its characters only.
 */
export interface CallAdmittedPayload extends CallSubject {
  hits: number;
  /** v2 admissions only: characters reserved until the call's usage event or `reservedUntil`. */
  chars?: number;
  reservedUntil?: string;
}

export type CallAdmittedV1 = EventEnvelope<typeof CALL_ADMITTED, 1, CallAdmittedPayload>;

export function decodeCallAdmittedV1(value: unknown): CallAdmittedV1 {
  const envelope = requireEnvelope(value, CALL_ADMITTED, 1);
  const payload = envelope.payload as Record<string, unknown>;
  return {
    type: CALL_ADMITTED,
    version: 1,
    ...requireEnvelopeFields(envelope, CallFields.callId),
    payload: decodeAdmittedPayload(payload),
  };
}

/** The call and its hits, and the reservation an admission made with `chars` holds. */
export function decodeAdmittedPayload(payload: Record<string, unknown>): CallAdmittedPayload {
  const admitted: CallAdmittedPayload = Object.assign(decodeCallSubject(payload), {
    hits: requireCount(payload, 'hits', 1000),
  });
  if (payload.chars !== undefined) {
    admitted.chars = requireCount(payload, 'chars', UsageLimits.maxChars);
    admitted.reservedUntil = requireTime(payload, 'reservedUntil');
  }
  return admitted;
}
