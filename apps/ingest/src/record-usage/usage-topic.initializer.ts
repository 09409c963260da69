import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { TopicAdmin } from '@metergate/messaging';
import { IngestConfig } from '../ingest.config';

/** Creates the usage topic at start, in the background, so the app answers even while Kafka is away. */
@Injectable()
export class UsageTopicInitializer implements OnApplicationBootstrap {
  constructor(
    private readonly topics: TopicAdmin,
    private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.topics.ensureTopicsWithRetry([
      { topic: this.config.USAGE_TOPIC, partitions: this.config.KAFKA_TOPIC_PARTITIONS },
    ]);
  }
}
