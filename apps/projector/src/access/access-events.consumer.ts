import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AccessEventV1 } from '@metergate/contracts';
import { DatabaseConnection } from '@metergate/database';
import { KafkaClient, TopicAdmin } from '@metergate/messaging';
import { ReadinessChecks } from '@metergate/platform';
import { ProjectorConfig } from '../projector.config';
import { RecordConsumer } from '../records/record-consumer';
import { accessProjector } from './access-projector';

/** The consumer group of the access projection, apart from the usage projection's own group. */
export function accessGroupId(config: ProjectorConfig): string {
  return `${config.PROJECTOR_GROUP_ID}.access`;
}

/** Applies access.events.v1 to org_access. */
@Injectable()
export class AccessEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: RecordConsumer<AccessEventV1>;

  constructor(
    config: ProjectorConfig,
    database: DatabaseConnection,
    topics: TopicAdmin,
    kafka: KafkaClient,
    readiness: ReadinessChecks,
  ) {
    const groupId = accessGroupId(config);
    this.consumer = new RecordConsumer(
      {
        groupId,
        topic: config.ACCESS_EVENTS_TOPIC,
        projector: accessProjector(database.dataSource, groupId),
      },
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
