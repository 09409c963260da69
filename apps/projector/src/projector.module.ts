import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@metergate/database';
import { MessagingModule } from '@metergate/messaging';
import { PlatformModule, loadConfig } from '@metergate/platform';
import { AccessProjectionModule } from './access/access-projection.module';
import { DenialsProjectionModule } from './denials/denials-projection.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { ProjectorLag } from './offsets/projector-lag';
import { ProjectorConfig } from './projector.config';
import { UsageConsumer } from './usage/usage.consumer';
import { UsageRetention } from './usage/usage-retention';

@Module({})
export class ProjectorModule {
  static create(config: ProjectorConfig = loadConfig(ProjectorConfig)): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        PlatformModule.forRoot(config),
        // Each transaction stores the Kafka offsets it applied, and Kafka keeps the events: a commit need
        // not wait for its WAL flush, whose stalls made most of the bench's freshness tail. What a server
        // crash loses is read again, because a batch is applied only from its stored offset (checkBatchStart);
        // test/integration/projector-postgres-crash.test.ts crashes a server five times mid-stream to prove it.
        DatabaseModule.forRoot({ synchronousCommit: false }),
        MessagingModule,
        AccessProjectionModule,
        DenialsProjectionModule,
        DeadLettersModule,
      ],
      providers: [UsageConsumer, UsageRetention, ProjectorLag],
    };
  }
}
