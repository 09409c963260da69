import { EventEnvelope, requireCount, requireEnvelope, requireEnvelopeFields } from '../envelope';
import { CallFields } from '../fields/call-fields';
import { CallSubject, decodeCallSubject } from './call-subject';
import type { UsageEventDto } from './record-usage.request';
import { UsageLimits } from './usage-limits';

export const USAGE_RECORDED = 'usage.recorded';

/** One API call's usage, as the calling service reported it. Key on Kafka: orgId. */
export interface UsageRecordedPayload extends CallSubject {
  inputChars: number;
  outputChars: number;
}

export type UsageRecordedV1 = EventEnvelope<typeof USAGE_RECORDED, 1, UsageRecordedPayload>;

export function decodeUsageRecordedV1(value: unknown): UsageRecordedV1 {
  const envelope = requireEnvelope(value, USAGE_RECORDED, 1);
  const payload = envelope.payload as Record<string, unknown>;
  return {
    type: USAGE_RECORDED,
    version: 1,
    ...requireEnvelopeFields(envelope, CallFields.callId),
    payload: Object.assign(decodeCallSubject(payload), {
      inputChars: requireCount(payload, 'inputChars', UsageLimits.maxChars),
      outputChars: requireCount(payload, 'outputChars', UsageLimits.maxChars),
    }),
  };
}

/** The event ingest publishes for one validated API event: the API's time normalized to UTC. */
export function usageRecordedV1(event: UsageEventDto, recordedAt: string): UsageRecordedV1 {
  const envelope: UsageRecordedV1 = {
    type: USAGE_RECORDED,
    version: 1,
    id: event.id,
    occurredAt: new Date(event.timestamp).toISOString(),
    recordedAt,
    payload: {
      orgId: event.orgId,
      endpoint: event.endpoint,
      inputChars: event.inputChars,
      outputChars: event.outputChars,
    },
  };
  // The DTO lets an optional field be null; the wire leaves it out.
  if (event.userId !== undefined && event.userId !== null) envelope.payload.userId = event.userId;
  if (event.keyId !== undefined && event.keyId !== null) envelope.payload.keyId = event.keyId;
  if (event.model !== undefined && event.model !== null) envelope.payload.model = event.model;
  return envelope;
}
