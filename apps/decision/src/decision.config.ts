import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { IsPort, PlatformConfig } from '@metergate/platform';

const failurePolicy = (name: string) =>
  IsIn(['open', 'closed'], { message: `${name} must be open or closed` });

const integer = (name: string, min: number, max: number): PropertyDecorator => {
  const decorators = [
    IsInt({ message: `${name} must be an integer` }),
    Min(min, { message: `${name} must be at least ${min}` }),
    Max(max, { message: `${name} must be at most ${max}` }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
};

export type FailurePolicy = 'open' | 'closed';

export class DecisionConfig extends PlatformConfig {
  @IsPort('DECISION_HTTP_PORT')
  DECISION_HTTP_PORT: number = 3002;

  /** gRPC port of DecisionService and Envoy's RateLimitService; 0 picks a free port (tests). */
  @integer('DECISION_GRPC_PORT', 0, 65535)
  DECISION_GRPC_PORT: number = 50051;

  /** Prefix of this replica's own consumer group (each replica reads every partition). */
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'DECISION_GROUP_PREFIX must be 1 to 64 of [A-Za-z0-9._-]' })
  DECISION_GROUP_PREFIX = 'metergate-decision';

  /** Envoy rate limit domain this service answers for. */
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'DECISION_RLS_DOMAIN must be 1 to 64 of [A-Za-z0-9._-]' })
  DECISION_RLS_DOMAIN = 'metergate';

  /** Beyond this age the read model is stale and the failure policies below apply. */
  @integer('DECISION_STALENESS_THRESHOLD_MS', 100, 600_000)
  DECISION_STALENESS_THRESHOLD_MS: number = 3_000;

  /** How often the replica compares its consumer positions with the topics' ends. */
  @integer('DECISION_FRESHNESS_PROBE_MS', 50, 60_000)
  DECISION_FRESHNESS_PROBE_MS: number = 250;

  /** When stale: `open` answers rate limits from what this replica knows, `closed` refuses. */
  @failurePolicy('DECISION_STALE_RATE_POLICY')
  DECISION_STALE_RATE_POLICY: FailurePolicy = 'open';

  /** When stale: for character quotas; closed by default because a quota overshoot is not undone. */
  @failurePolicy('DECISION_STALE_QUOTA_POLICY')
  DECISION_STALE_QUOTA_POLICY: FailurePolicy = 'closed';

  /** Organizations held at most (about 100 bytes each, plus their windows while active). */
  @integer('DECISION_MAX_ORGS', 1_000, 50_000_000)
  DECISION_MAX_ORGS: number = 2_000_000;

  /** Request and call ids remembered at most (about 26 bytes each). */
  @integer('DECISION_ID_CAPACITY', 10_000, 100_000_000)
  DECISION_ID_CAPACITY: number = 1_000_000;

  /** At start, ids of the events of this many seconds before the snapshot are read back from Kafka. */
  @integer('DECISION_ID_WARMUP_SECONDS', 0, 86_400)
  DECISION_ID_WARMUP_SECONDS: number = 600;

  /**
   * Bound on each statement of the start-up snapshot, in place of the 10 s other statements get. Its
   * COPYs last as long as the app takes to read their rows (over 10 s for a million organizations on
   * a busy host), and a load cut short is retried from the start, so it would never finish.
   */
  @integer('DECISION_SNAPSHOT_TIMEOUT_MS', 10_000, 3_600_000)
  DECISION_SNAPSHOT_TIMEOUT_MS: number = 600_000;

  /** Open reservations held at most. */
  @integer('DECISION_MAX_RESERVATIONS', 1_000, 50_000_000)
  DECISION_MAX_RESERVATIONS: number = 1_000_000;

  /** Events with a possibly forgotten id waiting for the projector, at most. */
  @integer('DECISION_MAX_UNCERTAIN_FACTS', 1_000, 10_000_000)
  DECISION_MAX_UNCERTAIN_FACTS: number = 100_000;

  /** Admissions are published at least this often (the bound on what a crash can lose). */
  @integer('DECISION_ADMISSION_FLUSH_MS', 5, 100)
  DECISION_ADMISSION_FLUSH_MS: number = 50;

  /** Admissions kept for Kafka during an outage, at most; older ones are dropped beyond it. */
  @integer('DECISION_ADMISSION_QUEUE_MAX', 1_000, 50_000_000)
  DECISION_ADMISSION_QUEUE_MAX: number = 1_000_000;
  /**
   * Bound on the denial counts (organization, reason, minute) held in memory, and again on those that
   * wait for Kafka: past it, denials of new keys are dropped and counted in decision_denials_dropped_total.
   */
  @integer('DECISION_DENIALS_MAX_COUNTS', 100, 10_000_000)
  DECISION_DENIALS_MAX_COUNTS: number = 100_000;
}
