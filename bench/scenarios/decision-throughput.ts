import { DECISION_ANSWER } from '../apps/answers';
import { BenchContext, alternatingRounds, ports } from '../support/context';
import { grpcLoad, rateLimitRequest } from '../support/grpc-load';
import { httpLoad } from '../support/http-load';
import { Compared, ScenarioResult, compare, rate, roundsNote } from '../support/report';
import { startBareGrpc, startBareHttp, startDecision, startLimiterHttp, warmOrgs } from '../support/servers';

const ORGS = 20_000;
const CONNECTIONS = 32;
const WARMUP_SECONDS = 2;
const GRPC_CHANNELS = 4;
const GRPC_IN_FLIGHT = 8;
const GRPC_BATCH = 100;

/**
 * Issue 11, throughput: decisions as fast as they are answered, against the bare things a user would
 * otherwise pick, each pair measured back to back in every round.
 */
export async function decisionThroughputScenario(ctx: BenchContext): Promise<ScenarioResult[]> {
  const orgIds = Array.from({ length: ORGS }, (_, i) => `thr-${ctx.runId}-${i}`);
  // embed on the trial tier: 500 calls a minute per org, so the load stays allowed and each decision
  // does the full work (windows, admission, its event) rather than an early denial.
  const bodies = orgIds.map((orgId) => JSON.stringify({ orgId, endpoint: 'embed' }));
  const checks = orgIds.map((orgId) => ({ orgId, endpoint: 'embed' }));
  const envoyRequests = orgIds.map((orgId) => rateLimitRequest(orgId, 'embed'));
  const batches = Array.from({ length: ORGS / GRPC_BATCH }, (_, b) => ({
    checks: checks.slice(b * GRPC_BATCH, b * GRPC_BATCH + GRPC_BATCH),
  }));

  const decision = await startDecision(ctx, 'decision-throughput');
  await warmOrgs(ports.decision, orgIds, 'embed');
  // All servers stay up for the rounds; the idle ones cost next to nothing.
  const servers = await Promise.all([startBareHttp(ctx), startLimiterHttp(ctx), startBareGrpc(ctx)]);

  const http =
    (port: number, seconds = ctx.seconds) =>
    async () =>
      httpLoad({
        url: `http://127.0.0.1:${port}/v1/decisions`,
        bodies,
        connections: CONNECTIONS,
        durationSeconds: seconds,
      });
  // Issue 12: every check reserves characters against the trial generate quota (a request id each, never
  // repeated), so that the reservation's bookkeeping is in the measured path.
  let reservation = 0;
  const reserving = (seconds: number) => async () =>
    httpLoad({
      url: `http://127.0.0.1:${ports.decision}/v1/decisions`,
      body: () => {
        reservation += 1;
        const orgId = orgIds[reservation % ORGS];
        return `{"orgId":"${orgId}","endpoint":"generate","requestId":"res-${reservation}","chars":1000}`;
      },
      connections: CONNECTIONS,
      durationSeconds: seconds,
    });
  const grpc =
    (port: number, method: 'Check' | 'ShouldRateLimit', seconds = ctx.seconds) =>
    async () => {
      const r = await grpcLoad({
        address: `127.0.0.1:${port}`,
        method,
        requests: method === 'Check' ? checks : envoyRequests,
        channels: GRPC_CHANNELS,
        inFlightPerChannel: GRPC_IN_FLIGHT,
        durationSeconds: seconds,
      });
      return { okPerSecond: r.callsPerSecond, failures: r.failures };
    };
  const loads = (seconds: number) => ({
    bareHttp: http(ports.bareHttp, seconds),
    httpDecisions: http(ports.decision, seconds),
    httpReserving: reserving(seconds),
    limiter: http(ports.limiterHttp, seconds),
    bareCheck: grpc(ports.bareGrpc, 'Check', seconds),
    check: grpc(ports.decisionGrpc, 'Check', seconds),
    bareRls: grpc(ports.bareGrpc, 'ShouldRateLimit', seconds),
    rls: grpc(ports.decisionGrpc, 'ShouldRateLimit', seconds),
  });
  await alternatingRounds(1, loads(WARMUP_SECONDS));
  const rounds = await alternatingRounds(ctx.repeat, loads(ctx.seconds));
  await Promise.all(servers.map((server) => ctx.apps.stop(server)));
  const batch = await grpcLoad({
    address: `127.0.0.1:${ports.decisionGrpc}`,
    method: 'CheckBatch',
    requests: batches,
    channels: GRPC_CHANNELS,
    inFlightPerChannel: 2,
    durationSeconds: ctx.seconds,
  });
  await ctx.apps.stop(decision);

  type Load = keyof ReturnType<typeof loads>;
  const pair = (figure: Load, baseline: Load) =>
    compare(rounds.map((r) => ({ figure: r[figure].okPerSecond, baseline: r[baseline].okPerSecond })));
  const failed = (load: Load) => rounds.reduce((sum, r) => sum + r[load].failures, 0);
  const failures = (labels: [string, Load][]) =>
    labels.filter(([, load]) => failed(load) > 0).map(([label, load]) => `${label}: ${failed(load)} failed.`);
  const row = (measure: string, c: Compared, units: [string, string], target: string, min: number) => ({
    measure,
    figure: rate(c.figure, units[0]),
    baseline: rate(c.baseline, units[1]),
    ratio: c.ratio,
    target,
    met: c.ratio >= min,
  });

  const httpVsBare = pair('httpDecisions', 'bareHttp');
  const reservingVsBare = pair('httpReserving', 'bareHttp');
  const httpVsLimiter = pair('httpDecisions', 'limiter');
  const reservingVsLimiter = pair('httpReserving', 'limiter');
  const check = pair('check', 'bareCheck');
  const rls = pair('rls', 'bareRls');
  const rounding =
    `${ctx.repeat} round${ctx.repeat === 1 ? '' : 's'} after a ${WARMUP_SECONDS} s warm-up of each load; ` +
    `in each round every load runs ${ctx.seconds} s, figure and baselines back to back; the figures are ` +
    `medians over the rounds and the ratio is the median of the rounds' ratios.`;
  const httpLoadLine =
    `autocannon in the bench process, ${CONNECTIONS} connections, POST /v1/decisions {orgId, endpoint: ` +
    `"embed"} rotating over ${ORGS.toLocaleString('en-US')} orgs (each asked once with hits 0 beforehand), ` +
    `as fast as answered; only 2xx answers count. ${rounding}`;
  return [
    {
      title: 'HTTP decisions, throughput (issue 11)',
      method:
        `${httpLoadLine} Baseline: a bare node:http server (bench/apps/bare-http.main.ts) that checks the ` +
        `bearer token the way the decision app does (SHA-256 digest, constant-time compare), parses the ` +
        `body with JSON.parse and answers with JSON.stringify the same JSON as a decision (same fields, ` +
        `${Buffer.byteLength(JSON.stringify(DECISION_ANSWER))} bytes) and the same RateLimit headers, keep-alive 72 s like the apps'.`,
      rows: [
        row(
          'decisions/s, as fast as answered',
          httpVsBare,
          ['decisions', 'answers'],
          '≥ 0.5 of the bare route',
          0.5,
        ),
        row(
          'decisions/s reserving characters (issue 12)',
          reservingVsBare,
          ['decisions', 'answers'],
          '≥ 0.5 of the bare route',
          0.5,
        ),
      ],
      notes: [
        roundsNote('Decisions over the bare route', httpVsBare),
        roundsNote('Reserving decisions over the bare route', reservingVsBare),
        'Reserving: POST /v1/decisions {orgId, endpoint: "generate", requestId (a new one each), chars: ' +
          '1000} over the same orgs: each allowed check holds 1,000 characters of the trial quota.',
        ...failures([
          ['Metergate', 'httpDecisions'],
          ['Metergate reserving', 'httpReserving'],
          ['bare route', 'bareHttp'],
        ]),
      ],
    },
    {
      title: 'Against rate-limiter-flexible on PostgreSQL (issue 11)',
      method:
        `${httpLoadLine} Baseline: rate-limiter-flexible's RateLimiterPostgres, one limiter (500 calls a ` +
        `minute keyed by org and endpoint, the trial limit of embed; a pg pool of 10 like the apps'), ` +
        `consumed once per call behind the same bare node:http route (bench/apps/limiter-http.main.ts), ` +
        `answering JSON of the decision's shape with its one limit.`,
      rows: [
        row(
          'decisions/s, as fast as answered',
          httpVsLimiter,
          ['decisions', 'decisions'],
          '≥ 3 × rate-limiter-flexible',
          3,
        ),
        row(
          'decisions/s reserving characters (issue 12)',
          reservingVsLimiter,
          ['decisions', 'decisions'],
          '≥ 3 × rate-limiter-flexible',
          3,
        ),
      ],
      notes: [
        roundsNote('Decisions over rate-limiter-flexible', httpVsLimiter),
        roundsNote('Reserving decisions over rate-limiter-flexible', reservingVsLimiter),
        'Reserving: the load of the throughput scenario above (a request id each, 1,000 characters held ' +
          'per allowed check), against the same limiter, which has nothing to reserve.',
        ...failures([['rate-limiter-flexible', 'limiter']]),
      ],
    },
    {
      title: 'gRPC decisions, throughput (issue 11)',
      method:
        `A closed-loop grpc-js client in the bench process: ${GRPC_CHANNELS} channels with ` +
        `${GRPC_IN_FLIGHT} calls in flight each (2 each for CheckBatch), over the same ` +
        `${ORGS.toLocaleString('en-US')} orgs; Check {orgId, endpoint: "embed"} and Envoy's ShouldRateLimit ` +
        `(domain metergate, one descriptor org_id + endpoint, hits_addend 1). ${rounding} Baseline: a bare ` +
        `grpc-js server (bench/apps/bare-grpc.main.ts) serving both services from the same .proto files, ` +
        `checking the token in the metadata and answering OK with a constant response of the decision ` +
        `app's shape. CheckBatch runs once, after the rounds, without a baseline.`,
      rows: [
        row('Check calls/s', check, ['checks', 'answers'], '≥ 0.6 of the bare grpc-js server', 0.6),
        row('ShouldRateLimit calls/s', rls, ['checks', 'answers'], '≥ 0.6 of the bare grpc-js server', 0.6),
        {
          measure: `CheckBatch of ${GRPC_BATCH}, checks/s`,
          figure: rate(batch.callsPerSecond * GRPC_BATCH, 'checks'),
        },
      ],
      notes: [
        roundsNote('Check over the bare server', check),
        roundsNote('ShouldRateLimit over the bare server', rls),
        ...failures([
          ['Check', 'check'],
          ['ShouldRateLimit', 'rls'],
          ['bare Check', 'bareCheck'],
          ['bare ShouldRateLimit', 'bareRls'],
        ]),
        ...(batch.failures > 0 ? [`CheckBatch: ${batch.failures} failed.`] : []),
      ],
    },
  ];
}
