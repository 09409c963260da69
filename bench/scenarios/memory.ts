import { BenchContext, ports, sleep } from '../support/context';
import { postJson } from '../support/http-load';
import { entries } from '../support/processes';
import { ScenarioResult, mib } from '../support/report';

const ORGS = 100_000;
const BATCH = 1_000;
const CONCURRENT_BATCHES = 4;
const SETTLE_MS = 3_000;

/**
 * Issue 6: a fresh decision app (its own topics) gets one counted decision for each of 100,000
 * distinct orgs, through the batch endpoint; then its resident memory is read from /proc.
 */
export async function memoryScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const decision = await ctx.apps.start({
    name: 'decision-memory',
    entry: entries.decision,
    env: ctx.appEnv({
      DECISION_HTTP_PORT: String(ports.decision),
      DECISION_GRPC_PORT: String(ports.decisionGrpc),
      USAGE_TOPIC: ctx.topic('memory-usage'),
      CALLS_ADMITTED_TOPIC: ctx.topic('memory-admitted'),
      ACCESS_EVENTS_TOPIC: ctx.topic('memory-access'),
      PROJECTOR_GROUP_ID: `bench-${ctx.runId}-memory-projector`,
    }),
    readyUrl: `http://127.0.0.1:${ports.decision}/health/ready`,
  });
  const idle = await decision.memory();
  const started = performance.now();
  let next = 0;
  let allowed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT_BATCHES }, async () => {
      while (next < ORGS) {
        const from = next;
        next += BATCH;
        const answer = (await postJson(`http://127.0.0.1:${ports.decision}/v1/decisions/batch`, {
          checks: Array.from({ length: BATCH }, (_, i) => ({
            orgId: `mem-${ctx.runId}-${from + i}`,
            endpoint: 'embed',
            userId: 'user-1',
          })),
        })) as { results: { allowed: boolean }[] };
        allowed += answer.results.filter((r) => r.allowed).length;
      }
    }),
  );
  const drivenSeconds = (performance.now() - started) / 1000;
  // Admissions are published and read back by the app's own consumer: measure once that has settled.
  await sleep(SETTLE_MS);
  const loaded = await decision.memory();
  const readiness = (await fetch(`http://127.0.0.1:${ports.decision}/health/ready`).then((r) =>
    r.json(),
  )) as {
    info?: { 'read-model'?: { orgs?: number } };
  };
  await ctx.apps.stop(decision);
  return {
    title: 'Memory of the decision app (issue 6)',
    method:
      `A fresh decision app on its own topics; ${ORGS.toLocaleString('en-US')} distinct orgs each get one ` +
      `counted embed decision through POST /v1/decisions/batch (${BATCH} checks per request, ` +
      `${CONCURRENT_BATCHES} requests at a time); ${SETTLE_MS / 1000} s later VmRSS and VmHWM are read ` +
      `from /proc/<pid>/status.`,
    rows: [
      {
        measure: `resident memory with ${ORGS.toLocaleString('en-US')} active orgs`,
        figure: mib(loaded.rssMiB),
        target: '≤ 512 MiB',
        met: loaded.rssMiB <= 512,
      },
      { measure: 'peak resident memory (VmHWM)', figure: mib(loaded.peakMiB) },
      { measure: 'resident memory at start, before any decision', figure: mib(idle.rssMiB) },
    ],
    notes: [
      `${allowed.toLocaleString('en-US')} of ${ORGS.toLocaleString('en-US')} checks allowed; ` +
        `${readiness.info?.['read-model']?.orgs ?? '?'} orgs in the read model per /health/ready; ` +
        `the orgs were driven in ${drivenSeconds.toFixed(1)} s.`,
    ],
  };
}
