import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CallsDeniedV1 } from '@metergate/contracts';
import { DatabaseConnection } from '@metergate/database';
import { KafkaClient, TopicAdmin } from '@metergate/messaging';
import { ReadinessChecks } from '@metergate/platform';
import { ProjectorConfig } from '../projector.config';
import { RecordConsumer } from '../records/record-consumer';
import { denialsProjector } from './denials-projector';

/** The consumer group of the denials projection, apart from the other projections' groups. */
export function denialsGroupId(config: ProjectorConfig): string {
  return `${config.PROJECTOR_GROUP_ID}.denials`;
}

/** Applies decision.denials.v1 to denials_by_minute. */
@Injectable()
export class DenialsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: RecordConsumer<CallsDeniedV1>;

  constructor(
    config: ProjectorConfig,
    database: DatabaseConnection,
    topics: TopicAdmin,
    kafka: KafkaClient,
    readiness: ReadinessChecks,
  ) {
    const groupId = denialsGroupId(config);
    this.consumer = new RecordConsumer(
      { groupId, topic: config.DENIALS_TOPIC, projector: denialsProjector(database.dataSource, groupId) },
      config.KAFKA_TOPIC_PARTITIONS,
      database,
      topics,
      kafka,
      readiness,
    );
  }

  onApplicationBootstrap(): void {
    void this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
