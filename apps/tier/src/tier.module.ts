import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@metergate/database';
import { MessagingModule } from '@metergate/messaging';
import { PlatformModule, loadConfig } from '@metergate/platform';
import { TierConfig } from './tier.config';

@Module({})
export class TierModule {
  static create(config: TierConfig = loadConfig(TierConfig)): DynamicModule {
    return {
      module: TierModule,
      imports: [PlatformModule.forRoot(config), DatabaseModule.forRoot(), MessagingModule],
    };
  }
}
