import { BenchContext, ports } from './context';
import { postJson } from './http-load';
import { RunningApp, entries } from './processes';

export interface DecisionOptions {
  /** Names the app's topics and projector group (default: the app's name); replicas share one. */
  topics?: string;
  http?: number;
  grpc?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
  pollMs?: number;
}

/** The three topics a decision app reads, named after `topics`. */
export const decisionTopics = (ctx: BenchContext, topics: string) => ({
  USAGE_TOPIC: ctx.topic(`${topics}-usage`),
  CALLS_ADMITTED_TOPIC: ctx.topic(`${topics}-admitted`),
  ACCESS_EVENTS_TOPIC: ctx.topic(`${topics}-access`),
});

/** A decision app, on topics of its own unless `topics` names ones shared with another replica. */
export function startDecision(
  ctx: BenchContext,
  name: string,
  options: DecisionOptions = {},
): Promise<RunningApp> {
  const topics = options.topics ?? name;
  const http = options.http ?? ports.decision;
  return ctx.apps.start({
    name,
    entry: entries.decision,
    env: ctx.appEnv({
      DECISION_HTTP_PORT: String(http),
      DECISION_GRPC_PORT: String(options.grpc ?? ports.decisionGrpc),
      ...decisionTopics(ctx, topics),
      PROJECTOR_GROUP_ID: `bench-${ctx.runId}-${topics}-projector`,
      ...options.env,
    }),
    readyUrl: `http://127.0.0.1:${http}/health/ready`,
    timeoutMs: options.timeoutMs,
    pollMs: options.pollMs,
  });
}

/** The bare node:http route answering the decision's JSON (bench/apps/bare-http.main.ts). */
export const startBareHttp = (ctx: BenchContext) =>
  ctx.apps.start({
    name: 'bare-http',
    entry: entries.bareHttp,
    env: { BENCH_PORT: String(ports.bareHttp) },
    readyUrl: `http://127.0.0.1:${ports.bareHttp}/health`,
  });

/** rate-limiter-flexible's RateLimiterPostgres behind the same route (bench/apps/limiter-http.main.ts). */
export const startLimiterHttp = (ctx: BenchContext) =>
  ctx.apps.start({
    name: 'limiter-http',
    entry: entries.limiterHttp,
    env: { BENCH_PORT: String(ports.limiterHttp), DATABASE_URL: ctx.databaseUrl },
    readyUrl: `http://127.0.0.1:${ports.limiterHttp}/health`,
  });

/** The bare grpc-js server with the decision app's two services (bench/apps/bare-grpc.main.ts). */
export const startBareGrpc = (ctx: BenchContext) =>
  ctx.apps.start({
    name: 'bare-grpc',
    entry: entries.bareGrpc,
    env: { BENCH_PORT: String(ports.bareGrpc), BENCH_READY_PORT: String(ports.bareGrpcReady) },
    readyUrl: `http://127.0.0.1:${ports.bareGrpcReady}/`,
  });

/**
 * Asks once for every org with hits 0 (nothing counted), so that an app that loads organizations on
 * first sight holds them all before the timed loads: those then measure warm organizations.
 */
export async function warmOrgs(port: number, orgIds: string[], endpoint: string): Promise<void> {
  for (let i = 0; i < orgIds.length; i += 1000) {
    await postJson(`http://127.0.0.1:${port}/v1/decisions/batch`, {
      checks: orgIds.slice(i, i + 1000).map((orgId) => ({ orgId, endpoint, hits: 0 })),
    });
  }
}
