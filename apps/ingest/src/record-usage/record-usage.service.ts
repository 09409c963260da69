import { Inject, Injectable } from '@nestjs/common';
import { UsageEventDto, usageRecordedV1 } from '@metergate/contracts';
import { EventPublisher } from '@metergate/messaging';
import { ACCESS_POLICY, FieldProblem, counter } from '@metergate/platform';
import { AccessPolicy, isKnownEndpoint } from '@metergate/policy';
import { IngestConfig } from '../ingest.config';

const ingested = counter({
  name: 'usage_events_ingested_total',
  help: 'Usage events Kafka acknowledged, by endpoint (a resent batch counts again).',
  labelNames: ['endpoint'] as const,
});

@Injectable()
export class RecordUsageService {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly config: IngestConfig,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  /**
   * Publishes the whole (validated) batch or fails; a failure may leave part of it on Kafka, which is safe because
   * the projector counts each (orgId, id) once: the client simply sends the same batch again.
   */
  /** Endpoints come from the access policy, so the DTO cannot check them itself. */
  unknownEndpoints(events: UsageEventDto[]): FieldProblem[] {
    if (!Array.isArray(events)) return [];
    return events.flatMap((event, index) =>
      typeof event?.endpoint !== 'string' || isKnownEndpoint(this.policy, event.endpoint)
        ? []
        : [
            {
              field: `events[${index}].endpoint`,
              message: `events[${index}].endpoint must be one of ${this.policy.endpoints.join(', ')}`,
            },
          ],
    );
  }

  async record(events: UsageEventDto[], now: Date): Promise<number> {
    const recordedAt = now.toISOString();
    const messages = events.map((event) => ({
      key: event.orgId,
      value: JSON.stringify(usageRecordedV1(event, recordedAt)),
    }));
    await this.publisher.publish(this.config.USAGE_TOPIC, messages);
    for (const event of events) ingested.inc({ endpoint: event.endpoint });
    return events.length;
  }
}
