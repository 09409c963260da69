import { DatabaseConnection } from '@metergate/database';
import { loadConfig } from '@metergate/platform';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Consumer } from 'kafkajs';
import { runAdminCommand } from '../../apps/tier/src/admin/admin-cli';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { TierConfig } from '../../apps/tier/src/tier.config';
import { TierModule } from '../../apps/tier/src/tier.module';
import { RunningApp, startApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, testBrokers, testKafka, uniqueName } from '../support/test-kafka';

const TEST_PARTITIONS = 3;

function baseEnv(db: TestDatabase, accessTopic: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
    KAFKA_BROKERS: testBrokers.join(','),
    DATABASE_URL: db.url,
    ACCESS_EVENTS_TOPIC: accessTopic,
  };
}

/** Waits for the background database connection, as a load balancer waits for /health/ready. */
async function connected(app: RunningApp): Promise<RunningApp> {
  await app.app.get(DatabaseConnection).whenConnected();
  return app;
}

/**
 * The tier app on its own database and topic; `env` adds or replaces variables (KAFKA_BROKERS to point it
 * at an unreachable Kafka, ACCESS_POLICY_PATH for a policy of the test's own).
 */
export async function startTier(
  db: TestDatabase,
  accessTopic: string,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  const config = loadConfig(TierConfig, {
    ...baseEnv(db, accessTopic),
    KAFKA_CLIENT_ID: 'tier-test',
    ...env,
  });
  // Numbers are set directly: the environment path is covered by the config's own validation.
  config.KAFKA_TOPIC_PARTITIONS = TEST_PARTITIONS;
  config.OUTBOX_POLL_INTERVAL_MS = 50;
  return connected(await startApp('tier', TierModule.create(config)));
}

/** The tier app on a database that may not be reachable; it starts anyway and connects in the background. */
export async function startTierUnconnected(databaseUrl: string, accessTopic: string): Promise<RunningApp> {
  const config = loadConfig(TierConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: testBrokers.join(','),
    ACCESS_EVENTS_TOPIC: accessTopic,
    KAFKA_CLIENT_ID: 'tier-test',
  });
  return startApp('tier', TierModule.create(config));
}

/** The whole projector, with every topic and its consumer groups unique to this run. */
export async function startProjector(db: TestDatabase, accessTopic: string): Promise<RunningApp> {
  const config = loadConfig(ProjectorConfig, {
    ...baseEnv(db, accessTopic),
    KAFKA_CLIENT_ID: 'projector-test',
    USAGE_TOPIC: uniqueName('usage.recorded.v1'),
    CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
    PROJECTOR_GROUP_ID: uniqueName('projector'),
  });
  config.KAFKA_TOPIC_PARTITIONS = TEST_PARTITIONS;
  return connected(await startApp('projector', ProjectorModule.create(config)));
}

/**
 * Response and message bodies as the tests read them: loosely, since each assertion states the shape it
 * expects and fails on anything else.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpResult {
  status: number;
  body: Json;
}

export async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const response = await fetch(url, {
    method,
    // Admin unless the test says otherwise: most tier tests are about the commands, not who may call them.
    headers: {
      authorization: 'Bearer dev-admin',
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export const application = (submittedBy = 'sam@acme.test') => ({
  useCase: 'customer support assistant',
  intendedUse: 'drafts answers that agents review before sending',
  risks: 'wrong answers; every draft is reviewed by a person',
  commitment: true,
  submittedBy,
});

/** An organization id unique to this run (ids allow letters, digits, _ and -). */
export const uniqueOrg = (base = 'org') => uniqueName(base).replace(/\./g, '-');

/** Reads a topic from the beginning with a throwaway group until `enough` holds or time runs out. */
export async function readTopic(
  topic: string,
  enough: (values: { key: string; value: Json }[]) => boolean,
  timeoutMs = 15_000,
): Promise<{ key: string; value: Json }[]> {
  const consumer: Consumer = testKafka('tier-test-reader').consumer({
    groupId: uniqueName('tier-reader'),
    maxWaitTimeInMs: 100,
  });
  const seen: { key: string; value: Json }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) });
          if (enough(seen)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/**
 * A tier app of the test file's own (database and access topic), started before its tests and closed
 * after them, and `admin(...argv)`: the admin CLI run as `ada` through the app's command and query buses.
 */
export function adminCliFixture(databaseName: string): {
  readonly tier: RunningApp;
  admin: (...argv: string[]) => Promise<string>;
} {
  let db: TestDatabase;
  let tier: RunningApp;
  const topic = uniqueName('access.events.v1');
  beforeAll(async () => {
    db = await TestDatabase.create(databaseName);
    await createTopic(topic, 3);
    tier = await startTier(db, topic);
  });
  afterAll(async () => {
    await tier?.close();
    await db?.drop();
  });
  return {
    get tier() {
      return tier;
    },
    admin: (...argv) =>
      runAdminCommand(argv, { commands: tier.app.get(CommandBus), queries: tier.app.get(QueryBus) }, 'ada'),
  };
}
