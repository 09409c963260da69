import { BenchContext, ROUNDS, bestOfAlternating, ports } from '../support/context';
import { grpcLoad } from '../support/grpc-load';
import { HttpLoadResult, httpLoad, postJson } from '../support/http-load';
import { entries } from '../support/processes';
import { ScenarioResult, ms, rate } from '../support/report';

const ORGS = 10_000;
const CONNECTIONS = 16;
const WARMUP_SECONDS = 2;
const GRPC_CHANNELS = 4;
const GRPC_IN_FLIGHT = 8;
const GRPC_BATCH = 100;

/** Issue 6, items on HTTP, gRPC and rate-limiter-flexible: one decision app, the baselines beside it. */
export async function decisionScenarios(ctx: BenchContext): Promise<ScenarioResult[]> {
  const orgIds = Array.from({ length: ORGS }, (_, i) => `dec-${ctx.runId}-${i}`);
  // embed on the trial tier: 500 calls a minute per org, so the load stays mostly allowed and each
  // decision does the full work (windows, admission, its event) rather than an early denial.
  const bodies = orgIds.map((orgId) => JSON.stringify({ orgId, endpoint: 'embed' }));
  const decision = await ctx.apps.start({
    name: 'decision',
    entry: entries.decision,
    env: ctx.appEnv({
      DECISION_HTTP_PORT: String(ports.decision),
      DECISION_GRPC_PORT: String(ports.decisionGrpc),
      USAGE_TOPIC: ctx.topic('decision-usage'),
      CALLS_ADMITTED_TOPIC: ctx.topic('decision-admitted'),
      ACCESS_EVENTS_TOPIC: ctx.topic('decision-access'),
      PROJECTOR_GROUP_ID: `bench-${ctx.runId}-decision-projector`,
    }),
    readyUrl: `http://127.0.0.1:${ports.decision}/health/ready`,
  });
  // Every org loaded once (hits 0 counts nothing), so the timed runs measure decisions, not first loads.
  for (let i = 0; i < ORGS; i += 1000) {
    await postJson(`http://127.0.0.1:${ports.decision}/v1/decisions/batch`, {
      checks: orgIds.slice(i, i + 1000).map((orgId) => ({ orgId, endpoint: 'embed', hits: 0 })),
    });
  }

  const maxRate = (port: number, seconds: number) =>
    httpLoad({
      url: `http://127.0.0.1:${port}/v1/decisions`,
      bodies,
      connections: CONNECTIONS,
      durationSeconds: seconds,
    });
  const atRate = (overallRate: number) =>
    httpLoad({
      url: `http://127.0.0.1:${ports.decision}/v1/decisions`,
      bodies,
      connections: CONNECTIONS,
      durationSeconds: ctx.seconds,
      overallRate,
    });

  // All three servers stay up for the alternating rounds; the two idle ones cost next to nothing.
  const [bareHttp, limiterHttp] = await Promise.all([
    ctx.apps.start({
      name: 'bare-http',
      entry: entries.bareHttp,
      env: ctx.appEnv({ BENCH_PORT: String(ports.bareHttp) }),
      readyUrl: `http://127.0.0.1:${ports.bareHttp}/health`,
    }),
    ctx.apps.start({
      name: 'limiter-http',
      entry: entries.limiterHttp,
      env: ctx.appEnv({ BENCH_PORT: String(ports.limiterHttp) }),
      readyUrl: `http://127.0.0.1:${ports.limiterHttp}/health`,
    }),
  ]);
  for (const port of [ports.bareHttp, ports.decision, ports.limiterHttp]) await maxRate(port, WARMUP_SECONDS);
  const http = await bestOfAlternating(
    {
      bare: () => maxRate(ports.bareHttp, ctx.seconds),
      metergate: () => maxRate(ports.decision, ctx.seconds),
      limiter: () => maxRate(ports.limiterHttp, ctx.seconds),
    },
    (r: HttpLoadResult) => r.okPerSecond,
  );
  await Promise.all([ctx.apps.stop(bareHttp), ctx.apps.stop(limiterHttp)]);
  const { bare, metergate, limiter } = http;
  const at1000 = await atRate(1000);
  const seventyPercent = Math.round(metergate.okPerSecond * 0.7);
  const at70 = await atRate(seventyPercent);

  const bareGrpc = await ctx.apps.start({
    name: 'bare-grpc',
    entry: entries.bareGrpc,
    env: { BENCH_PORT: String(ports.bareGrpc), BENCH_READY_PORT: String(ports.bareHttp) },
    readyUrl: `http://127.0.0.1:${ports.bareHttp}/`,
  });
  const checks = orgIds.map((orgId) => ({ orgId, endpoint: 'embed' }));
  const batches = Array.from({ length: ORGS / GRPC_BATCH }, (_, b) => ({
    checks: checks.slice(b * GRPC_BATCH, b * GRPC_BATCH + GRPC_BATCH),
  }));
  const grpc = (port: number, method: 'Check' | 'CheckBatch', seconds: number) =>
    grpcLoad({
      address: `127.0.0.1:${port}`,
      method,
      requests: method === 'Check' ? checks : batches,
      channels: GRPC_CHANNELS,
      inFlightPerChannel: method === 'Check' ? GRPC_IN_FLIGHT : 2,
      durationSeconds: seconds,
    });
  await grpc(ports.bareGrpc, 'Check', WARMUP_SECONDS);
  await grpc(ports.decisionGrpc, 'Check', WARMUP_SECONDS);
  const unary = await bestOfAlternating(
    {
      echo: () => grpc(ports.bareGrpc, 'Check', ctx.seconds),
      check: () => grpc(ports.decisionGrpc, 'Check', ctx.seconds),
    },
    (r) => r.callsPerSecond,
  );
  await ctx.apps.stop(bareGrpc);
  const { echo, check } = unary;
  const batch = await grpc(ports.decisionGrpc, 'CheckBatch', ctx.seconds);
  await ctx.apps.stop(decision);

  const httpRatio = metergate.okPerSecond / bare.okPerSecond;
  const limiterRatio = metergate.okPerSecond / limiter.okPerSecond;
  const grpcRatio = check.callsPerSecond / echo.callsPerSecond;
  const failures = (label: string, count: number) =>
    count > 0 ? [`${label}: ${count} failed requests.`] : [];
  const loadLine =
    `autocannon, ${CONNECTIONS} connections, POST /v1/decisions {orgId, endpoint: "embed"} rotating over ` +
    `${ORGS.toLocaleString('en-US')} orgs (all loaded beforehand), ${WARMUP_SECONDS} s warm-up then ` +
    `${ctx.seconds} s measured per figure; only 2xx answers count. Metergate, the bare route and ` +
    `rate-limiter-flexible run in turn for ${ROUNDS} rounds, each keeping its best.`;
  return [
    {
      title: 'HTTP decisions (issue 6)',
      method:
        `${loadLine} Baseline: a Nest app in bench/ booted by the same platform bootstrap (pino, JSON body ` +
        `parser, validation pipe, metrics middleware) whose POST /v1/decisions returns a constant answer of ` +
        `the decision's shape. Latencies are autocannon's (corrected for coordinated omission) at a fixed ` +
        `overall rate.`,
      rows: [
        {
          measure: 'decisions/s, as fast as answered',
          figure: rate(metergate.okPerSecond, 'decisions'),
          baseline: rate(bare.okPerSecond, 'answers'),
          ratio: httpRatio,
          target: '≥ 60% of the bare route',
          met: httpRatio >= 0.6,
        },
        {
          measure: 'latency at 1,000 decisions/s, p50 / p99',
          figure: `${ms(at1000.p50Ms)} / ${ms(at1000.p99Ms)}`,
        },
        {
          measure: `latency at 70% of the maximum (${seventyPercent.toLocaleString('en-US')}/s), p50 / p99`,
          figure: `${ms(at70.p50Ms)} / ${ms(at70.p99Ms)}`,
        },
        {
          measure: 'rate actually served at 1,000/s and at 70%',
          figure: `${Math.round(at1000.okPerSecond)}/s and ${Math.round(at70.okPerSecond)}/s`,
        },
      ],
      notes: [
        ...failures('Metergate', metergate.failures + at1000.failures + at70.failures),
        ...failures('bare route', bare.failures),
      ],
    },
    {
      title: 'Against rate-limiter-flexible on PostgreSQL (issue 6)',
      method:
        `${loadLine} Baseline: a Nest app in bench/ on the same platform bootstrap whose POST /v1/decisions ` +
        `consumes two RateLimiterPostgres limiters (500 per minute and 100,000 per day, the trial limits of ` +
        `embed; a pg pool of 10 like the apps') keyed by org and endpoint.`,
      rows: [
        {
          measure: 'decisions/s, as fast as answered',
          figure: rate(metergate.okPerSecond, 'decisions'),
          baseline: rate(limiter.okPerSecond, 'decisions'),
          ratio: limiterRatio,
          target: '≥ 300% of rate-limiter-flexible',
          met: limiterRatio >= 3,
        },
      ],
      notes: [...failures('rate-limiter-flexible', limiter.failures)],
    },
    {
      title: 'gRPC decisions (issue 6)',
      method:
        `A closed-loop grpc-js client in the bench process: ${GRPC_CHANNELS} channels with ${GRPC_IN_FLIGHT} ` +
        `calls in flight each (2 each for CheckBatch), checks {orgId, endpoint: "embed"} over the same ` +
        `${ORGS.toLocaleString('en-US')} orgs, ${WARMUP_SECONDS} s warm-up then ${ctx.seconds} s. Baseline: a ` +
        `bare grpc-js server in bench/ serving the same DecisionService definition whose Check echoes the ` +
        `request's id in an empty answer. Check and the echo alternate for ${ROUNDS} rounds, each keeping its ` +
        `best; CheckBatch runs once.`,
      rows: [
        {
          measure: 'Check calls/s',
          figure: rate(check.callsPerSecond, 'checks'),
          baseline: rate(echo.callsPerSecond, 'echoes'),
          ratio: grpcRatio,
          target: '≥ 60% of the bare echo',
          met: grpcRatio >= 0.6,
        },
        {
          measure: `CheckBatch of ${GRPC_BATCH}, checks/s`,
          figure: rate(batch.callsPerSecond * GRPC_BATCH, 'checks'),
        },
      ],
      notes: [
        ...failures('Check', check.failures),
        ...failures('CheckBatch', batch.failures),
        ...failures('echo', echo.failures),
      ],
    },
  ];
}
