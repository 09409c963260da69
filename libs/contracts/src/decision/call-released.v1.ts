import { EventEnvelope, requireEnvelope, requireEnvelopeFields, requireString } from '../envelope';
import { CallFields } from '../fields/call-fields';

export const CALL_RELEASED = 'call.released';

/**
 * A call admitted with a reservation never happened: its reserved characters are free again. On the
 * admissions topic (key: orgId), after the admission it releases; the envelope's id is the call's id.
 */
export interface CallReleasedPayload {
  orgId: string;
}

export type CallReleasedV1 = EventEnvelope<typeof CALL_RELEASED, 1, CallReleasedPayload>;

export function decodeCallReleasedV1(value: unknown): CallReleasedV1 {
  const envelope = requireEnvelope(value, CALL_RELEASED, 1);
  const payload = envelope.payload as Record<string, unknown>;
  return {
    type: CALL_RELEASED,
    version: 1,
    ...requireEnvelopeFields(envelope, CallFields.callId),
    payload: { orgId: requireString(payload, 'orgId', CallFields.orgId) as string },
  };
}
