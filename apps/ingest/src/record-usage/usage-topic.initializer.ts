import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TopicAdmin } from '@metergate/messaging';
import { IngestConfig } from '../ingest.config';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the usage topic at start, retrying in the background while Kafka is not there yet. */
@Injectable()
export class UsageTopicInitializer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(UsageTopicInitializer.name);
  private stopping = false;

  constructor(
    private readonly topics: TopicAdmin,
    private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.ensureLoop();
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }

  private async ensureLoop(): Promise<void> {
    let delay = 250;
    while (!this.stopping) {
      try {
        await this.topics.ensureTopics([{ topic: this.config.USAGE_TOPIC, partitions: this.config.USAGE_TOPIC_PARTITIONS }]);
        return;
      } catch (error) {
        this.logger.warn(`cannot create ${this.config.USAGE_TOPIC} yet (${(error as Error).message}); retrying in ${delay} ms`);
        await sleep(delay);
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
}
