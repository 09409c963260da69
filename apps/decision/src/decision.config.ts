import { IsPort, PlatformConfig } from '@metergate/platform';

export class DecisionConfig extends PlatformConfig {
  @IsPort('DECISION_HTTP_PORT')
  DECISION_HTTP_PORT = 3002;
}
