import { IsString, Matches } from 'class-validator';
import { Topics } from '@metergate/contracts';
import { IsPort, PlatformConfig } from '@metergate/platform';

export class IngestConfig extends PlatformConfig {
  @IsPort('INGEST_HTTP_PORT')
  INGEST_HTTP_PORT: number = 3001;

  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,249}$/, { message: 'USAGE_TOPIC must be a valid Kafka topic name' })
  USAGE_TOPIC: string = Topics.usageRecorded;
}
