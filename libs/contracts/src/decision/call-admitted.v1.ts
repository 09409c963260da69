import {
  EventEnvelope,
  InvalidEventError,
  requireCount,
  requireEnvelope,
  requireString,
  requireTime,
} from '../envelope';
import { UsageLimits } from '../usage/usage-limits';

export const CALL_ADMITTED = 'call.admitted';

/**
 * A decision replica let `hits` calls through. It counts toward the rate windows at once, so that other
 * replicas and restarts see it; the call's own usage event (same id) later adds its characters only.
 */
export interface CallAdmittedPayload {
  orgId: string;
  userId?: string;
  endpoint: string;
  model?: string;
  hits: number;
}

export type CallAdmittedV1 = EventEnvelope<typeof CALL_ADMITTED, 1, CallAdmittedPayload>;

export function decodeCallAdmittedV1(value: unknown): CallAdmittedV1 {
  const envelope = requireEnvelope(value, CALL_ADMITTED, 1);
  const payload = envelope.payload as Record<string, unknown>;
  const orgId = requireString(payload, 'orgId', UsageLimits.maxOrgIdLength) as string;
  if (!UsageLimits.idPattern.test(orgId))
    throw new InvalidEventError('orgId has characters outside [A-Za-z0-9_-]');
  const event: CallAdmittedV1 = {
    type: CALL_ADMITTED,
    version: 1,
    id: requireString(envelope, 'id', UsageLimits.maxIdLength) as string,
    occurredAt: requireTime(envelope, 'occurredAt'),
    recordedAt: requireTime(envelope, 'recordedAt'),
    payload: {
      orgId,
      endpoint: requireString(payload, 'endpoint', 64) as string,
      hits: requireCount(payload, 'hits', 1000),
    },
  };
  const userId = requireString(payload, 'userId', UsageLimits.maxOrgIdLength, true);
  const model = requireString(payload, 'model', UsageLimits.maxModelLength, true);
  if (userId !== undefined) event.payload.userId = userId;
  if (model !== undefined) event.payload.model = model;
  return event;
}
