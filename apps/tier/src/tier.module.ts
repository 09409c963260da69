import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DatabaseModule } from '@metergate/database';
import { PlatformModule, loadConfig } from '@metergate/platform';
import { AccessModule } from './access/access.module';
import { ConsoleModule } from './console/console.module';
import { DenialsModule } from './denials/denials.module';
import { TierHttpModule } from './http/tier-http.module';
import { OutboxModule } from './outbox/outbox.module';
import { TierConfig } from './tier.config';
import { UsageQueriesModule } from './usage-queries/usage-queries.module';

/** The tier service: each slice registers its own providers; this module only puts them together. */
@Module({})
export class TierModule {
  static create(config: TierConfig = loadConfig(TierConfig)): DynamicModule {
    return {
      module: TierModule,
      imports: [
        PlatformModule.forRoot(config),
        DatabaseModule.forRoot(),
        CqrsModule.forRoot(),
        AccessModule,
        OutboxModule,
        TierHttpModule,
        UsageQueriesModule,
        ConsoleModule,
        DenialsModule,
      ],
    };
  }
}
