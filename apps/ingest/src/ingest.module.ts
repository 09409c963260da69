import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@metergate/database';
import { MessagingModule } from '@metergate/messaging';
import { PlatformModule, loadConfig } from '@metergate/platform';
import { IngestConfig } from './ingest.config';
import { RecordUsageHttpController } from './record-usage/record-usage.http.controller';
import { RecordUsageService } from './record-usage/record-usage.service';
import { UsageTopicInitializer } from './record-usage/usage-topic.initializer';

@Module({})
export class IngestModule {
  static create(config: IngestConfig = loadConfig(IngestConfig)): DynamicModule {
    return {
      module: IngestModule,
      imports: [PlatformModule.forRoot(config), DatabaseModule.forRoot(), MessagingModule],
      controllers: [RecordUsageHttpController],
      providers: [RecordUsageService, UsageTopicInitializer],
    };
  }
}
