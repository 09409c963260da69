// Decorator metadata (design:type, which implicit conversion of env strings relies on) is only
// recorded when reflect-metadata is loaded before the config classes are declared.
import 'reflect-metadata';
import { Topics } from '@metergate/contracts';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidationArguments,
} from 'class-validator';
import { parseAuthTokens } from '../auth/auth-tokens';
import { isPostgresUrl } from './database-url';

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** What every app needs: where PostgreSQL and Kafka are, how to log. Apps extend it with their ports. */
export class PlatformConfig {
  @IsIn(['development', 'test', 'production'], {
    message: 'NODE_ENV must be development, test or production',
  })
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  // Read here as ensureDatabase and pg read it, so that a malformed URL stops the app with this message
  // rather than with a parser's error that carries the URL, password included.
  @ValidateBy({
    name: 'postgresUrl',
    validator: { validate: isPostgresUrl, defaultMessage: () => 'DATABASE_URL must be a postgres:// URL' },
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/metergate';

  @Transform(list)
  @Matches(/^[^\s:,]+:\d{1,5}$/, {
    each: true,
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1 to 64 of [A-Za-z0-9._-]' })
  KAFKA_CLIENT_ID = 'metergate';

  // Topic names and the projector's group are shared: producers, the projector and the decision
  // replicas must all agree on them.
  @IsTopicName('USAGE_TOPIC')
  USAGE_TOPIC: string = Topics.usageRecorded;

  @IsTopicName('CALLS_ADMITTED_TOPIC')
  CALLS_ADMITTED_TOPIC: string = Topics.callsAdmitted;

  @IsTopicName('ACCESS_EVENTS_TOPIC')
  ACCESS_EVENTS_TOPIC: string = Topics.accessEvents;

  @IsTopicName('DENIALS_TOPIC')
  DENIALS_TOPIC: string = Topics.callsDenied;

  /** The projector's consumer group; its offsets in PostgreSQL say which events the projections hold. */
  @Matches(/^[A-Za-z0-9._-]{1,128}$/, { message: 'PROJECTOR_GROUP_ID must be 1 to 128 of [A-Za-z0-9._-]' })
  PROJECTOR_GROUP_ID: string = 'metergate-projector';

  /**
   * How long a call's id counts it once: the projector keeps its dedupe marks this long, and the
   * decision replicas check an id they may have forgotten within it against the projector's marks.
   * Longer than the 7 days a usage event may be late.
   */
  @IsInt({ message: 'DEDUPE_RETENTION_HOURS must be an integer' })
  @Min(169)
  @Max(24 * 366)
  DEDUPE_RETENTION_HOURS: number = 192;

  /** Partitions of the topics an app creates when missing; every app must agree, so it is shared. */
  @IsInt({ message: 'KAFKA_TOPIC_PARTITIONS must be an integer' })
  @Min(1)
  @Max(1000)
  KAFKA_TOPIC_PARTITIONS: number = 12;

  /**
   * How long the usage and admissions topics keep events (Kafka's retention.ms; -1, the default, keeps
   * them forever, which a rebuild of lifetime quota totals needs). Every app that creates the topics
   * sets it, on creation and at start, so it is shared.
   */
  @IsInt({ message: 'KAFKA_USAGE_RETENTION_MS must be an integer: milliseconds, or -1 for forever' })
  @Min(-1)
  KAFKA_USAGE_RETENTION_MS: number = -1;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @IsString({ message: 'ACCESS_POLICY_PATH must be the path of a JSON or YAML policy file' })
  ACCESS_POLICY_PATH = 'config/access-policy.json';

  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be an integer' })
  @Min(0)
  @Max(120_000)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;

  /**
   * Bearer tokens and their roles: `role:token` or `role:sha256:<hex>`, comma-separated. An app that
   * serves requires them in production (checked when it starts serving, so that the admin CLI, which
   * serves nothing, needs none); elsewhere empty means the development tokens, with a warning.
   */
  @ValidateBy({
    name: 'authTokens',
    validator: {
      validate: (value: unknown) => authTokensProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => authTokensProblem(args?.value) ?? '',
    },
  })
  AUTH_TOKENS = '';

  /** PEM files; with both set, the HTTP (and gRPC) listeners serve TLS only. */
  @IsOptional()
  @IsString({ message: 'TLS_CERT_FILE must be the path of a PEM certificate (chain)' })
  TLS_CERT_FILE?: string;

  @IsOptional()
  @IsString({ message: 'TLS_KEY_FILE must be the path of a PEM private key' })
  TLS_KEY_FILE?: string;
}

function authTokensProblem(value: unknown): string | undefined {
  const raw = typeof value === 'string' ? value.trim() : '';
  if (!raw) return undefined;
  const { problems } = parseAuthTokens(raw);
  return problems.length > 0 ? `AUTH_TOKENS: ${problems.join('; ')}` : undefined;
}

export function IsTopicName(name: string): PropertyDecorator {
  return Matches(/^[A-Za-z0-9._-]{1,249}$/, { message: `${name} must be a valid Kafka topic name` });
}

/** An integer TCP port; the message names the variable. */
export function IsPort(name: string): PropertyDecorator {
  const decorators = [
    IsInt({ message: `${name} must be an integer port number` }),
    Min(1, { message: `${name} must be between 1 and 65535` }),
    Max(65535, { message: `${name} must be between 1 and 65535` }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}
