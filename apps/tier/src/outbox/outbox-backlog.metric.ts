import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { gauge, withTimeout } from '@metergate/platform';
import { DataSource } from 'typeorm';
import { OutboxSql } from './outbox.sql';

const NAME = 'metergate_access_outbox_unsent';

/** The app (of those in this process, the latest started) whose outbox the gauge reports. */
let source: DataSource | undefined;

/**
 * Access events committed but not yet on Kafka. Counted when Prometheus scrapes rather than on every relay
 * poll, so the count query runs a few times a minute, not five times a second.
 */
function registerGauge(): void {
  gauge({
    name: NAME,
    help: 'Access events in the outbox not yet published to Kafka.',
    async collect() {
      if (!source?.isInitialized) return;
      try {
        const [{ unsent }] = await withTimeout(
          source.query<{ unsent: number }[]>(OutboxSql.countUnsent),
          1000,
          'PostgreSQL',
        );
        this.set(unsent);
      } catch {
        // An unreachable database leaves the last value; readiness reports the outage itself.
      }
    },
  });
}

@Injectable()
export class OutboxBacklogMetric implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    registerGauge();
    source = this.dataSource;
  }

  onApplicationShutdown(): void {
    if (source === this.dataSource) source = undefined;
  }
}
