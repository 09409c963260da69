import { IsPort, PlatformConfig } from '@metergate/platform';

export class TierConfig extends PlatformConfig {
  @IsPort('TIER_HTTP_PORT')
  TIER_HTTP_PORT = 3003;
}
