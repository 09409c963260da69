import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@metergate/database';
import { MessagingModule } from '@metergate/messaging';
import { PlatformModule, loadConfig } from '@metergate/platform';
import { DecisionConfig } from './decision.config';

@Module({})
export class DecisionModule {
  static create(config: DecisionConfig = loadConfig(DecisionConfig)): DynamicModule {
    return {
      module: DecisionModule,
      imports: [PlatformModule.forRoot(config), DatabaseModule.forRoot(), MessagingModule],
    };
  }
}
