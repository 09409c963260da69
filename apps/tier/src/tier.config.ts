import { IsInt, Matches, Max, Min } from 'class-validator';
import { IsPort, PlatformConfig } from '@metergate/platform';

export class TierConfig extends PlatformConfig {
  @IsPort('TIER_HTTP_PORT')
  TIER_HTTP_PORT: number = 3003;

  /** The tier an approved full-access application moves an organization to; must exist in the policy. */
  @Matches(/^[a-z0-9_-]{1,64}$/, { message: 'FULL_ACCESS_TIER must be a tier name' })
  FULL_ACCESS_TIER = 'production';

  /** How often the outbox relay looks for rows committed by other processes (the admin CLI, replicas). */
  @IsInt({ message: 'OUTBOX_POLL_INTERVAL_MS must be an integer' })
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS: number = 200;

  @IsInt({ message: 'OUTBOX_BATCH_SIZE must be an integer' })
  @Min(1)
  @Max(5000)
  OUTBOX_BATCH_SIZE: number = 500;
}
