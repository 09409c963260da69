import { IsInt, Matches, Max, Min } from 'class-validator';
import { Topics } from '@metergate/contracts';
import { IsPort, PlatformConfig } from '@metergate/platform';

const topicName = (name: string) =>
  Matches(/^[A-Za-z0-9._-]{1,249}$/, { message: `${name} must be a valid Kafka topic name` });

export class ProjectorConfig extends PlatformConfig {
  @IsPort('PROJECTOR_HTTP_PORT')
  PROJECTOR_HTTP_PORT: number = 3004;

  @topicName('USAGE_TOPIC')
  USAGE_TOPIC: string = Topics.usageRecorded;

  @topicName('CALLS_ADMITTED_TOPIC')
  CALLS_ADMITTED_TOPIC: string = Topics.callsAdmitted;

  @topicName('ACCESS_EVENTS_TOPIC')
  ACCESS_EVENTS_TOPIC: string = Topics.accessEvents;

  @Matches(/^[A-Za-z0-9._-]{1,128}$/, { message: 'PROJECTOR_GROUP_ID must be 1 to 128 of [A-Za-z0-9._-]' })
  PROJECTOR_GROUP_ID = 'metergate-projector';

  @IsInt({ message: 'PROJECTOR_CONCURRENCY must be an integer (partitions applied in parallel)' })
  @Min(1)
  @Max(64)
  PROJECTOR_CONCURRENCY: number = 2;

  @IsInt({ message: 'SECOND_BUCKETS_RETENTION_MINUTES must be an integer' })
  @Min(2)
  SECOND_BUCKETS_RETENTION_MINUTES: number = 10;

  @IsInt({ message: 'MINUTE_BUCKETS_RETENTION_HOURS must be an integer' })
  @Min(48)
  MINUTE_BUCKETS_RETENTION_HOURS: number = 72;

  @IsInt({ message: 'DEDUPE_RETENTION_HOURS must be an integer' })
  @Min(168)
  DEDUPE_RETENTION_HOURS: number = 192;
}
