import { DecisionAnswer } from '@metergate/contracts';
import { BenchContext, ports, sleep } from '../support/context';
import { postJson } from '../support/http-load';
import { createTopic } from '../support/kafka';
import { BENCH_AUTHORIZATION, entries } from '../support/processes';
import { ScenarioResult, ms, percentile } from '../support/report';
import { usageEvent } from '../support/usage-events';

const EVENTS_PER_SECOND = 5_000;
const BATCH = 100;
const WARMUP_SECONDS = 3;
const POLL_MS = 5;
const TRIAL_QUOTA = 500_000;

/**
 * Issue 6, "usage recorded through ingest affects decisions within 250 ms p99": ingest and the decision
 * app running, 5,000 events/s offered; each measured batch carries one generate event of a marker org
 * that the decision app already holds in memory (as an org the gateway keeps checking would be). The
 * time from the batch's 202 to the first decision whose quota shows the event's characters.
 */
export async function decisionFreshnessScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const topics = {
    USAGE_TOPIC: ctx.topic('dfresh-usage'),
    CALLS_ADMITTED_TOPIC: ctx.topic('dfresh-admitted'),
    ACCESS_EVENTS_TOPIC: ctx.topic('dfresh-access'),
  };
  for (const topic of Object.values(topics)) await createTopic(topic, ctx.partitions);
  const [ingest, decision] = await Promise.all([
    ctx.apps.start({
      name: 'ingest-decision-freshness',
      entry: entries.ingest,
      env: ctx.appEnv({ INGEST_HTTP_PORT: String(ports.ingest), ...topics }),
      readyUrl: `http://127.0.0.1:${ports.ingest}/health/ready`,
    }),
    ctx.apps.start({
      name: 'decision-freshness',
      entry: entries.decision,
      env: ctx.appEnv({
        DECISION_HTTP_PORT: String(ports.decision),
        DECISION_GRPC_PORT: String(ports.decisionGrpc),
        PROJECTOR_GROUP_ID: `bench-${ctx.runId}-dfresh-projector`,
        ...topics,
      }),
      readyUrl: `http://127.0.0.1:${ports.decision}/health/ready`,
    }),
  ]);

  const intervalMs = (BATCH / EVENTS_PER_SECOND) * 1000;
  const totalBatches = ((WARMUP_SECONDS + ctx.seconds) * 1000) / intervalMs;
  const warmupBatches = (WARMUP_SECONDS * 1000) / intervalMs;
  const marker = (k: number) => `dmark-${ctx.runId}-${k}`;
  const decisionsUrl = `http://127.0.0.1:${ports.decision}/v1/decisions/batch`;
  const markers = Array.from({ length: totalBatches - warmupBatches }, (_, i) => marker(warmupBatches + i));
  // hits 0 counts nothing: it only brings the org into memory, where later checks find it.
  for (let i = 0; i < markers.length; i += 1000) {
    await postJson(decisionsUrl, {
      checks: markers.slice(i, i + 1000).map((orgId) => ({ orgId, endpoint: 'generate', hits: 0 })),
    });
  }

  const acceptedAt = new Map<string, number>();
  const pending = new Set<string>();
  const latencies: number[] = [];
  let failures = 0;
  let sending = true;
  const poller = (async () => {
    while (sending || pending.size > 0) {
      if (pending.size > 0) {
        const asked = [...pending];
        const { results } = (await postJson(decisionsUrl, {
          checks: asked.map((orgId) => ({ orgId, endpoint: 'generate', hits: 0 })),
        })) as { results: DecisionAnswer[] };
        const seenAt = performance.now();
        results.forEach((answer, i) => {
          const quota = answer.limits.find((l) => l.window === 'lifetime');
          if (quota === undefined || quota.remaining >= TRIAL_QUOTA) return;
          pending.delete(asked[i]);
          latencies.push(Math.max(0, seenAt - acceptedAt.get(asked[i])!));
        });
      }
      await sleep(POLL_MS);
    }
  })();

  const ingestUrl = `http://127.0.0.1:${ports.ingest}/v1/usage`;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let k = 0; k < totalBatches; k += 1) {
    const wait = started + k * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const events = Array.from({ length: BATCH }, (_, n) =>
      usageEvent(`${ctx.runId}-d${k}`, n, 1_000, new Date()),
    );
    const measured = k >= warmupBatches ? marker(k) : undefined;
    // Event 0 is a generate call: its characters count toward the trial quota the decision reports.
    if (measured) events[0].orgId = measured;
    inFlight.push(
      fetch(ingestUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: BENCH_AUTHORIZATION },
        body: JSON.stringify({ events }),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          if (response.status !== 202) failures += 1;
          else if (measured) {
            acceptedAt.set(measured, performance.now());
            pending.add(measured);
          }
        },
        () => void (failures += 1),
      ),
    );
  }
  await Promise.all(inFlight);
  sending = false;
  let lost = 0;
  const giveUp = setTimeout(() => {
    lost = pending.size;
    pending.clear();
  }, 30_000);
  await poller;
  clearTimeout(giveUp);
  await Promise.all([ctx.apps.stop(ingest), ctx.apps.stop(decision)]);

  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  return {
    title: 'Usage to decisions (issue 6)',
    method:
      `Ingest and the decision app running (fresh topics; no projector: the decision app reads the ` +
      `usage topic itself); batches of ${BATCH} events posted every ${intervalMs} ms ` +
      `(${EVENTS_PER_SECOND.toLocaleString('en-US')} events/s offered), ${WARMUP_SECONDS} s of warm-up ` +
      `then ${ctx.seconds} s measured. Each measured batch carries one generate event of a marker org ` +
      `that the decision app already holds in memory; a loop asks for all pending markers every ` +
      `${POLL_MS} ms (POST /v1/decisions/batch, hits 0). Latency: from the 202 to the end of the first ` +
      `answer whose lifetime quota shows the event (an upper bound).`,
    rows: [
      { measure: '202 to decisions, p50', figure: ms(percentile(sorted, 50)) },
      {
        measure: '202 to decisions, p99',
        figure: ms(p99),
        target: 'p99 < 250 ms',
        met: p99 < 250 && lost === 0 && failures === 0,
      },
      { measure: '202 to decisions, max', figure: ms(sorted[sorted.length - 1]) },
    ],
    notes: [
      `${latencies.length} marker events measured` +
        `${lost > 0 ? `; ${lost} not reflected 30 s after sending stopped` : ''}` +
        `${failures > 0 ? `; ${failures} batches failed` : ''}.`,
    ],
  };
}
