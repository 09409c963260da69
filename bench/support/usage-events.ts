import { type UsageEventDto, usageRecordedV1 } from '@metergate/contracts';

const ENDPOINTS = ['generate', 'embed', 'classify'] as const;
const MODELS = ['small', 'medium'] as const;

/**
 * Deterministic usage events spread over `orgs` organizations, a few users each, all three endpoints:
 * the shape of a busy API's traffic, so that the projector's upserts touch realistic numbers of rows.
 */
export function usageEvent(runId: string, n: number, orgs: number, at: Date): UsageEventDto {
  return {
    id: `${runId}-${n}`,
    orgId: `org-${n % orgs}`,
    userId: `user-${n % 7}`,
    endpoint: ENDPOINTS[n % ENDPOINTS.length],
    model: MODELS[n % MODELS.length],
    inputChars: 200 + (n % 800),
    outputChars: 400 + (n % 1600),
    timestamp: at.toISOString(),
  };
}

/** The Kafka message ingest would publish for the event, so the bare producer sends the same bytes. */
export function usageMessage(event: UsageEventDto, recordedAt: string): { key: string; value: string } {
  return { key: event.orgId, value: JSON.stringify(usageRecordedV1(event, recordedAt)) };
}
