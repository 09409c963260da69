import { IsPort, PlatformConfig } from '@metergate/platform';

export class IngestConfig extends PlatformConfig {
  @IsPort('INGEST_HTTP_PORT')
  INGEST_HTTP_PORT: number = 3001;
}
