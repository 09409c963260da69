import { Injectable } from '@nestjs/common';
import { UsageEventDto, usageRecordedV1 } from '@metergate/contracts';
import { EventPublisher } from '@metergate/messaging';
import { counter } from '@metergate/platform';
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
  ) {}

  /**
   * Publishes the whole (validated) batch or fails; a failure may leave part of it on Kafka, which is safe because
   * the projector counts each (orgId, id) once: the client simply sends the same batch again.
   */
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
