import { AppName, AppProcess, freePort } from './app-process';
import { TestDatabase } from './test-database';
import { uniqueName } from './test-kafka';

/** The variables `npm start` sets, for a stack of its own: its database, its topics, its groups. */
export function isolatedStackEnv(db: TestDatabase, logLevel = 'warn'): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: logLevel,
    DATABASE_URL: db.url,
    KAFKA_TOPIC_PARTITIONS: '3',
    USAGE_TOPIC: uniqueName('usage.recorded.v1'),
    CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
    ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
    DENIALS_TOPIC: uniqueName('decision.denials.v1'),
    PROJECTOR_GROUP_ID: uniqueName('projector'),
    DECISION_GROUP_PREFIX: uniqueName('decision'),
  };
}

const portVariables: Record<AppName, string> = {
  ingest: 'INGEST_HTTP_PORT',
  projector: 'PROJECTOR_HTTP_PORT',
  decision: 'DECISION_HTTP_PORT',
  tier: 'TIER_HTTP_PORT',
};

/** The named built apps, each on free ports of its own with `env`; not started yet. */
export async function builtApps<N extends AppName>(
  names: readonly N[],
  env: Record<string, string>,
): Promise<Record<N, AppProcess>> {
  const apps = {} as Record<N, AppProcess>;
  for (const name of names) {
    const port = await freePort();
    const own: Record<string, string> = { [portVariables[name]]: String(port) };
    if (name === 'decision') own.DECISION_GRPC_PORT = String(await freePort());
    apps[name] = new AppProcess(name, port, { ...env, ...own });
  }
  return apps;
}
