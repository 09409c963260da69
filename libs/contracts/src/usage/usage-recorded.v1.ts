import {
  EventEnvelope,
  InvalidEventError,
  requireCount,
  requireEnvelope,
  requireString,
  requireTime,
} from '../envelope';
import type { UsageEventDto } from './record-usage.request';
import { UsageLimits } from './usage-limits';

export const USAGE_RECORDED = 'usage.recorded';

/** One API call's usage, as the calling service reported it. Key on Kafka: orgId. */
export interface UsageRecordedPayload {
  orgId: string;
  userId?: string;
  endpoint: string;
  model?: string;
  inputChars: number;
  outputChars: number;
}

export type UsageRecordedV1 = EventEnvelope<typeof USAGE_RECORDED, 1, UsageRecordedPayload>;

export function decodeUsageRecordedV1(value: unknown): UsageRecordedV1 {
  const envelope = requireEnvelope(value, USAGE_RECORDED, 1);
  const payload = envelope.payload as Record<string, unknown>;
  const orgId = requireString(payload, 'orgId', UsageLimits.maxOrgIdLength) as string;
  const userId = requireString(payload, 'userId', UsageLimits.maxOrgIdLength, true);
  if (!UsageLimits.idPattern.test(orgId) || (userId !== undefined && !UsageLimits.idPattern.test(userId))) {
    throw new InvalidEventError('orgId and userId may hold only letters, digits, _ and -');
  }
  const model = requireString(payload, 'model', UsageLimits.maxModelLength, true);
  const event: UsageRecordedV1 = {
    type: USAGE_RECORDED,
    version: 1,
    id: requireString(envelope, 'id', UsageLimits.maxIdLength) as string,
    occurredAt: requireTime(envelope, 'occurredAt'),
    recordedAt: requireTime(envelope, 'recordedAt'),
    payload: {
      orgId,
      endpoint: requireString(payload, 'endpoint', 64) as string,
      inputChars: requireCount(payload, 'inputChars', UsageLimits.maxChars),
      outputChars: requireCount(payload, 'outputChars', UsageLimits.maxChars),
    },
  };
  if (userId !== undefined) event.payload.userId = userId;
  if (model !== undefined) event.payload.model = model;
  return event;
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
  if (event.userId !== undefined) envelope.payload.userId = event.userId;
  if (event.model !== undefined) envelope.payload.model = event.model;
  return envelope;
}
