import { Client } from 'pg';
import { BenchContext, ports, sleep } from '../support/context';
import { createTopic } from '../support/kafka';
import { BENCH_AUTHORIZATION, entries } from '../support/processes';
import { ScenarioResult, ms } from '../support/report';
import { usageEvent } from '../support/usage-events';

const EVENTS_PER_SECOND = 5_000;
const BATCH = 100;
const WARMUP_SECONDS = 3;
const POLL_MS = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Issue 3: at 5,000 events/s offered through ingest (batches of 100, one every 20 ms), the time from
 * the 202 of a batch to its marker event (the only event of a fresh org) being in usage_lifetime.
 */
export async function freshnessScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const topic = ctx.topic('fresh');
  const admitted = ctx.topic('fresh-admitted');
  await createTopic(topic, ctx.partitions);
  await createTopic(admitted, ctx.partitions);
  const [ingest, projector] = await Promise.all([
    ctx.apps.start({
      name: 'ingest-freshness',
      entry: entries.ingest,
      env: ctx.appEnv({ INGEST_HTTP_PORT: String(ports.ingest), USAGE_TOPIC: topic }),
      readyUrl: `http://127.0.0.1:${ports.ingest}/health/ready`,
    }),
    ctx.apps.start({
      name: 'projector-freshness',
      entry: entries.projector,
      env: ctx.appEnv({
        PROJECTOR_HTTP_PORT: String(ports.projector),
        PROJECTOR_GROUP_ID: `bench-${ctx.runId}-fresh`,
        USAGE_TOPIC: topic,
        CALLS_ADMITTED_TOPIC: admitted,
      }),
      readyUrl: `http://127.0.0.1:${ports.projector}/health/ready`,
    }),
  ]);

  const url = `http://127.0.0.1:${ports.ingest}/v1/usage`;
  const intervalMs = (BATCH / EVENTS_PER_SECOND) * 1000;
  const totalBatches = ((WARMUP_SECONDS + ctx.seconds) * 1000) / intervalMs;
  const warmupBatches = (WARMUP_SECONDS * 1000) / intervalMs;
  const acceptedAt = new Map<string, number>();
  const pending = new Set<string>();
  const latencies: number[] = [];
  const ingestLatencies: number[] = [];
  let failures = 0;
  let sending = true;

  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const poller = (async () => {
    while (sending || pending.size > 0) {
      if (pending.size > 0) {
        const { rows } = await db.query<{ org_id: string }>(
          'SELECT org_id FROM usage_lifetime WHERE org_id = ANY($1::text[])',
          [[...pending]],
        );
        // The read finished after the row was committed: an upper bound, off by at most one poll.
        const seenAt = performance.now();
        for (const { org_id } of rows) {
          const accepted = acceptedAt.get(org_id);
          if (accepted === undefined) continue;
          pending.delete(org_id);
          latencies.push(Math.max(0, seenAt - accepted));
        }
      }
      await sleep(POLL_MS);
    }
  })();

  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let k = 0; k < totalBatches; k += 1) {
    const due = started + k * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const now = new Date();
    const events = Array.from({ length: BATCH }, (_, n) => usageEvent(`${ctx.runId}-f${k}`, n, 1_000, now));
    const marker = k >= warmupBatches ? `mark-${ctx.runId}-${k}` : undefined;
    if (marker) events[0].orgId = marker;
    const sentAt = performance.now();
    inFlight.push(
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: BENCH_AUTHORIZATION },
        body: JSON.stringify({ events }),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          ingestLatencies.push(performance.now() - sentAt);
          if (response.status !== 202) failures += 1;
          else if (marker) {
            acceptedAt.set(marker, performance.now());
            pending.add(marker);
          }
        },
        () => void (failures += 1),
      ),
    );
  }
  const offeredSeconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  sending = false;
  let lost = 0;
  const giveUp = setTimeout(() => {
    lost = pending.size;
    pending.clear();
  }, 30_000);
  await poller;
  clearTimeout(giveUp);
  await db.end();
  await Promise.all([ctx.apps.stop(ingest), ctx.apps.stop(projector)]);

  const sorted = [...latencies].sort((a, b) => a - b);
  const ingestSorted = [...ingestLatencies].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const offered = (totalBatches * BATCH) / offeredSeconds;
  return {
    title: 'Freshness (issue 3)',
    method:
      `Ingest and projector running (fresh topic and group); batches of ${BATCH} events posted every ` +
      `${intervalMs} ms (${EVENTS_PER_SECOND.toLocaleString('en-US')} events/s offered) for ` +
      `${WARMUP_SECONDS} s of warm-up then ${ctx.seconds} s measured. Each measured batch carries one ` +
      `event of an org seen nowhere else; a loop polls usage_lifetime every ${POLL_MS} ms for those orgs. ` +
      `Latency: from the 202 to the end of the first poll that sees the org (an upper bound).`,
    rows: [
      {
        measure: 'events/s actually offered',
        figure: `${Math.round(offered).toLocaleString('en-US')} events/s`,
      },
      {
        measure: 'POST /v1/usage answer time, p50 / p99',
        figure: `${ms(percentile(ingestSorted, 50))} / ${ms(percentile(ingestSorted, 99))}`,
      },
      { measure: '202 to aggregates, p50', figure: ms(p50) },
      {
        measure: '202 to aggregates, p99',
        figure: ms(p99),
        target: 'p99 < 100 ms',
        met: p99 < 100 && lost === 0,
      },
      { measure: '202 to aggregates, max', figure: ms(sorted[sorted.length - 1]) },
    ],
    notes: [
      `${latencies.length} marker events measured` +
        `${lost > 0 ? `; ${lost} not in the aggregates 30 s after sending stopped` : ''}` +
        `${failures > 0 ? `; ${failures} batches failed` : ''}.`,
    ],
  };
}
