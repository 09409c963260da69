import { BenchContext, alternatingRounds, median, ports } from '../support/context';
import { rateLimitRequest } from '../support/grpc-load';
import { LATE_MS, OpenLoopResult, Sender, grpcSender, httpSender, openLoop } from '../support/open-loop';
import { Compared, Row, ScenarioResult, compare, ms, roundsNote } from '../support/report';
import { startBareGrpc, startBareHttp, startDecision, warmOrgs } from '../support/servers';

const RATE = 500;
const WARM_ORGS = 20_000;
const WARMUP_SECONDS = 2;
/** Two seconds of the schedule: every request has a connection of its own unless answers stall longer. */
const HTTP_POOL = 1_000;
const GRPC_CHANNELS = 4;
const MAX_RATIO = 2;

/**
 * Issue 11, latency: each target at 500 checks/s on a fixed schedule (support/open-loop.ts), the
 * decision app's p99 against the bare server's p99 of the same round.
 */
export async function decisionLatencyScenario(ctx: BenchContext): Promise<ScenarioResult[]> {
  const warmIds = Array.from({ length: WARM_ORGS }, (_, i) => `lat-${ctx.runId}-${i}`);
  const warmBodies = warmIds.map((orgId) => JSON.stringify({ orgId, endpoint: 'embed' }));
  const warmChecks = warmIds.map((orgId) => ({ orgId, endpoint: 'embed' }));
  const warmEnvoy = warmIds.map((orgId) => rateLimitRequest(orgId, 'embed'));
  let freshRun = 0;
  // Each first-seen load asks for orgs that no earlier request of the run named.
  const freshBodies = (seconds: number) => {
    freshRun += 1;
    return Array.from({ length: RATE * seconds }, (_, i) =>
      JSON.stringify({ orgId: `new-${ctx.runId}-${freshRun}-${i}`, endpoint: 'embed' }),
    );
  };

  // Issue 12: checks reserving characters against the trial generate quota, a new request id each.
  let reservingRun = 0;
  const reservingBodies = (seconds: number) => {
    reservingRun += 1;
    return Array.from({ length: RATE * seconds }, (_, i) =>
      JSON.stringify({
        orgId: warmIds[i % WARM_ORGS],
        endpoint: 'generate',
        requestId: `res-${ctx.runId}-${reservingRun}-${i}`,
        chars: 1000,
      }),
    );
  };

  const decision = await startDecision(ctx, 'decision-latency');
  await warmOrgs(ports.decision, warmIds, 'embed');
  const servers = await Promise.all([startBareHttp(ctx), startBareGrpc(ctx)]);
  const senders = {
    bareHttp: httpSender(`http://127.0.0.1:${ports.bareHttp}/v1/decisions`, HTTP_POOL),
    decisionHttp: httpSender(`http://127.0.0.1:${ports.decision}/v1/decisions`, HTTP_POOL),
    bareCheck: grpcSender(`127.0.0.1:${ports.bareGrpc}`, 'Check', GRPC_CHANNELS),
    check: grpcSender(`127.0.0.1:${ports.decisionGrpc}`, 'Check', GRPC_CHANNELS),
    bareRls: grpcSender(`127.0.0.1:${ports.bareGrpc}`, 'ShouldRateLimit', GRPC_CHANNELS),
    rls: grpcSender(`127.0.0.1:${ports.decisionGrpc}`, 'ShouldRateLimit', GRPC_CHANNELS),
  };
  const at = (sender: Sender, payloads: unknown[], seconds: number) => () =>
    openLoop(sender, payloads, RATE, seconds);
  const loads = (seconds: number) => ({
    bareHttp: at(senders.bareHttp, warmBodies, seconds),
    warm: at(senders.decisionHttp, warmBodies, seconds),
    firstSeen: async () => openLoop(senders.decisionHttp, freshBodies(seconds), RATE, seconds),
    reserving: async () => openLoop(senders.decisionHttp, reservingBodies(seconds), RATE, seconds),
    bareCheck: at(senders.bareCheck, warmChecks, seconds),
    check: at(senders.check, warmChecks, seconds),
    bareRls: at(senders.bareRls, warmEnvoy, seconds),
    rls: at(senders.rls, warmEnvoy, seconds),
  });
  await alternatingRounds(1, loads(WARMUP_SECONDS));
  const rounds = await alternatingRounds(ctx.repeat, loads(ctx.seconds));
  Object.values(senders).forEach((sender) => sender.close());
  await Promise.all([...servers, decision].map((app) => ctx.apps.stop(app)));

  type Load = keyof ReturnType<typeof loads>;
  const p99s = (figure: Load, baseline: Load) =>
    compare(rounds.map((r) => ({ figure: r[figure].p99Ms, baseline: r[baseline].p99Ms })));
  const of = (load: Load, pick: (r: OpenLoopResult) => number) => median(rounds.map((r) => pick(r[load])));
  const sum = (load: Load, pick: (r: OpenLoopResult) => number) =>
    rounds.reduce((total, r) => total + pick(r[load]), 0);
  const spread = (load: Load): Row => ({
    measure: `${LABELS[load]}: p50 / p99 / p99.9 / max`,
    figure: [
      of(load, (r) => r.p50Ms),
      of(load, (r) => r.p99Ms),
      of(load, (r) => r.p999Ms),
      of(load, (r) => r.maxMs),
    ]
      .map(ms)
      .join(' / '),
  });
  const p99Row = (load: Load, c: Compared, baseline: string): Row => ({
    measure: `${LABELS[load]}, p99`,
    figure: ms(c.figure),
    baseline: `${ms(c.baseline)} (${baseline})`,
    ratio: c.ratio,
    target: `≤ ${MAX_RATIO} × the ${baseline}'s p99`,
    met: c.ratio <= MAX_RATIO,
  });
  const generatorNote = (loadsShown: Load[]) => {
    const sent = sum(loadsShown[0], (r) => r.sent);
    const parts = loadsShown.map(
      (load) =>
        `${LABELS[load]} ${sum(load, (r) => r.late)} (latest ${ms(Math.max(...rounds.map((r) => r[load].maxLateMs)))})`,
    );
    return (
      `Late to leave (sent more than ${LATE_MS} ms after the intended time), of ${sent.toLocaleString('en-US')} ` +
      `requests per load: ${parts.join('; ')}.`
    );
  };
  const failureNote = (loadsShown: Load[]) =>
    loadsShown
      .filter((load) => sum(load, (r) => r.failures) > 0)
      .map((load) => `${LABELS[load]}: ${sum(load, (r) => r.failures)} failed or non-2xx.`);

  const warm = p99s('warm', 'bareHttp');
  const firstSeen = p99s('firstSeen', 'bareHttp');
  const reserving = p99s('reserving', 'bareHttp');
  const check = p99s('check', 'bareCheck');
  const rls = p99s('rls', 'bareRls');
  const httpLoads: Load[] = ['bareHttp', 'warm', 'firstSeen', 'reserving'];
  const grpcLoads: Load[] = ['bareCheck', 'check', 'bareRls', 'rls'];
  const schedule =
    `A fixed-schedule load generator in the bench process (bench/support/open-loop.ts): ` +
    `${RATE} requests/s, request i sent at start + i/${RATE} s whatever the earlier answers, latency from ` +
    `that intended time to the end of the answer (coordinated omission is not hidden; timers have a ` +
    `resolution of 1 ms, so a request typically leaves up to 1 ms after its time, in figure and ` +
    `baseline alike); ${ctx.repeat} ` +
    `round${ctx.repeat === 1 ? '' : 's'} of ${ctx.seconds} s per load after a ${WARMUP_SECONDS} s warm-up of ` +
    `each, figure and baseline back to back in each round; figures are medians over the rounds, the ratio ` +
    `the median of the rounds' ratios.`;
  return [
    {
      title: 'HTTP decision latency at 500 checks/s, open loop (issue 11)',
      method:
        `${schedule} HTTP: node:http with a keep-alive agent of up to ${HTTP_POOL} connections (opened as ` +
        `needed, so the schedule never waits for one; how often every one was busy is counted). Warm: POST ` +
        `/v1/decisions {orgId, endpoint: "embed"} rotating over ${WARM_ORGS.toLocaleString('en-US')} orgs ` +
        `each asked once (hits 0) before. First seen: every request names an org never named before in ` +
        `the run. Reserving (issue 12): {orgId, endpoint: "generate", requestId (a new one each), chars: ` +
        `1000} over the warm orgs, each allowed check holding 1,000 characters of the trial quota. ` +
        `Baseline: the bare node:http route of the throughput scenario, same bodies as warm.`,
      rows: [
        spread('bareHttp'),
        spread('warm'),
        spread('firstSeen'),
        spread('reserving'),
        p99Row('warm', warm, 'bare route'),
        p99Row('firstSeen', firstSeen, 'bare route'),
        p99Row('reserving', reserving, 'bare route'),
      ],
      notes: [
        roundsNote('Warm over the bare route', warm),
        roundsNote('First seen over the bare route', firstSeen),
        roundsNote('Reserving over the bare route', reserving),
        generatorNote(httpLoads),
        `Every pooled connection busy when a request was due: ${httpLoads
          .map((load) => `${LABELS[load]} ${sum(load, (r) => r.poolExhausted)}`)
          .join('; ')}.`,
        ...failureNote(httpLoads),
      ],
    },
    {
      title: 'gRPC decision latency at 500 checks/s, open loop (issue 11)',
      method:
        `${schedule} gRPC: grpc-js clients on ${GRPC_CHANNELS} HTTP/2 connections used in turn (calls are ` +
        `multiplexed, so none waits for a connection); Check {orgId, endpoint: "embed"} and ShouldRateLimit ` +
        `(one descriptor org_id + endpoint) over the ${WARM_ORGS.toLocaleString('en-US')} warm orgs. ` +
        `Baseline: the bare grpc-js server of the throughput scenario, same requests.`,
      rows: [
        spread('bareCheck'),
        spread('check'),
        spread('bareRls'),
        spread('rls'),
        p99Row('check', check, 'bare server'),
        p99Row('rls', rls, 'bare server'),
      ],
      notes: [
        roundsNote('Check over the bare server', check),
        roundsNote('ShouldRateLimit over the bare server', rls),
        generatorNote(grpcLoads),
        ...failureNote(grpcLoads),
      ],
    },
  ];
}

const LABELS = {
  bareHttp: 'bare node:http route',
  warm: 'decisions, warm orgs',
  firstSeen: 'decisions, first-seen orgs',
  reserving: 'decisions reserving characters (issue 12), warm orgs',
  bareCheck: 'bare grpc-js Check',
  check: 'gRPC Check, warm orgs',
  bareRls: 'bare grpc-js ShouldRateLimit',
  rls: 'ShouldRateLimit, warm orgs',
} as const;
