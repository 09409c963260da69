import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DatabaseModule } from '@metergate/database';
import { PlatformModule } from '@metergate/platform';
import { AccessModule } from '../access/access.module';
import { TierConfig } from '../tier.config';

/**
 * The admin CLI's application context: the same command and query handlers as the HTTP app, without
 * HTTP and without the outbox relay. What it commits waits in the outbox for the tier service's relay.
 */
@Module({})
export class AdminCliModule {
  static create(config: TierConfig): DynamicModule {
    return {
      module: AdminCliModule,
      imports: [PlatformModule.forRoot(config), DatabaseModule.forRoot(), CqrsModule.forRoot(), AccessModule],
    };
  }
}
