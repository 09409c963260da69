import { BenchContext, ROUNDS, bestOfAlternating, ports } from '../support/context';
import { httpLoad } from '../support/http-load';
import { bareProducer, createTopic, sendAll } from '../support/kafka';
import { entries } from '../support/processes';
import { ScenarioResult, rate } from '../support/report';
import { usageEvent, usageMessage } from '../support/usage-events';

const BATCH = 500;
const CONNECTIONS = 8;
const WARMUP_SECONDS = 2;

/**
 * Issue 3: events/s through POST /v1/usage in batches of 500 against the same batches sent by a bare
 * kafkajs producer with ingest's producer settings, each to its own topic of the same partition count.
 */
export async function ingestScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const ingestTopic = ctx.topic('ingest');
  const bareTopic = ctx.topic('ingest-bare');
  await createTopic(ingestTopic, ctx.partitions);
  await createTopic(bareTopic, ctx.partitions);

  const now = new Date();
  const events = Array.from({ length: BATCH }, (_, n) => usageEvent(`${ctx.runId}-ingest`, n, 200, now));
  const body = JSON.stringify({ events });
  const messages = events.map((event) => usageMessage(event, now.toISOString()));

  const producer = await bareProducer();
  const bare = async (seconds: number) => {
    const deadline = performance.now() + seconds * 1000;
    let batches = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < deadline) {
          await sendAll(producer, bareTopic, messages);
          batches += 1;
        }
      }),
    );
    return (batches * BATCH) / ((performance.now() - started) / 1000);
  };
  const ingest = await ctx.apps.start({
    name: 'ingest',
    entry: entries.ingest,
    env: ctx.appEnv({ INGEST_HTTP_PORT: String(ports.ingest), USAGE_TOPIC: ingestTopic }),
    readyUrl: `http://127.0.0.1:${ports.ingest}/health/ready`,
  });
  const load = (seconds: number) =>
    httpLoad({
      url: `http://127.0.0.1:${ports.ingest}/v1/usage`,
      bodies: [body],
      connections: CONNECTIONS,
      durationSeconds: seconds,
    });
  await bare(WARMUP_SECONDS);
  await load(WARMUP_SECONDS);
  const best = await bestOfAlternating(
    {
      bare: async () => ({ okPerSecond: (await bare(ctx.seconds)) / BATCH, failures: 0 }),
      ingest: () => load(ctx.seconds),
    },
    (r) => r.okPerSecond,
  );
  await producer.disconnect();
  await ctx.apps.stop(ingest);
  const measured = best.ingest;
  const bareEventsPerSecond = best.bare.okPerSecond * BATCH;

  const ingestEventsPerSecond = measured.okPerSecond * BATCH;
  const ratio = ingestEventsPerSecond / bareEventsPerSecond;
  return {
    title: 'Ingest (issue 3)',
    method:
      `${CONNECTIONS} connections post the same batch of ${BATCH} valid events to POST /v1/usage for ` +
      `${ctx.seconds} s (after ${WARMUP_SECONDS} s of warm-up); the baseline is ${CONNECTIONS} concurrent ` +
      `send() loops of the same ${BATCH} envelopes on one bare kafkajs producer with ingest's settings ` +
      `(idempotent, acks all, one request in flight, murmur2 partitioner), to another topic of ` +
      `${ctx.partitions} partitions. Only 202 answers count. The two loads alternate for ${ROUNDS} rounds and ` +
      `each keeps its best.`,
    rows: [
      {
        measure: 'events/s acknowledged',
        figure: rate(ingestEventsPerSecond, 'events'),
        baseline: rate(bareEventsPerSecond, 'events'),
        ratio,
        target: '≥ 70% of the bare producer',
        met: ratio >= 0.7,
      },
    ],
    notes: measured.failures > 0 ? [`${measured.failures} requests failed or answered non-2xx.`] : [],
  };
}
