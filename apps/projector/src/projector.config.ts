import { IsInt, Max, Min } from 'class-validator';
import { IsPort, PlatformConfig } from '@metergate/platform';

export class ProjectorConfig extends PlatformConfig {
  @IsPort('PROJECTOR_HTTP_PORT')
  PROJECTOR_HTTP_PORT: number = 3004;

  @IsInt({ message: 'PROJECTOR_CONCURRENCY must be an integer (transactions applied in parallel)' })
  @Min(1)
  @Max(64)
  PROJECTOR_CONCURRENCY: number = 6;

  @IsInt({ message: 'SECOND_BUCKETS_RETENTION_MINUTES must be an integer' })
  @Min(2)
  SECOND_BUCKETS_RETENTION_MINUTES: number = 10;

  @IsInt({ message: 'MINUTE_BUCKETS_RETENTION_HOURS must be an integer' })
  @Min(48)
  MINUTE_BUCKETS_RETENTION_HOURS: number = 72;

  /** Denial counts are kept this long (the analysts' denial queries read up to 31 days back). */
  @IsInt({ message: 'DENIALS_RETENTION_DAYS must be an integer' })
  @Min(31)
  DENIALS_RETENTION_DAYS: number = 35;
}
