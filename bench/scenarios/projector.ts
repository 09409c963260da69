import { Client } from 'pg';
import { BenchContext, ports, sleep } from '../support/context';
import { bareProducer, createTopic, sendAll, topicEnds } from '../support/kafka';
import { entries } from '../support/processes';
import { ScenarioResult, ms, rate } from '../support/report';
import { usageEvent, usageMessage } from '../support/usage-events';

const EVENTS = 100_000;
const ORGS = 2_000;
const INSERT_ROWS = 1_000;
const POLL_MS = 20;

/**
 * Issue 3: the projector started with a fresh group on a topic pre-filled with EVENTS events, timed
 * until its stored offsets reach the topic's end; against a bare multi-row INSERT of the same events,
 * one row each, with pg.
 */
export async function projectorScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const topic = ctx.topic('projector');
  const admitted = ctx.topic('projector-admitted');
  await createTopic(topic, ctx.partitions);
  await createTopic(admitted, ctx.partitions);

  // Spread over the last minute, as live traffic is: second buckets fill, minute buckets are shared.
  const now = Date.now();
  const events = Array.from({ length: EVENTS }, (_, n) =>
    usageEvent(`${ctx.runId}-proj`, n, ORGS, new Date(now - (n % 60) * 1000)),
  );
  const producer = await bareProducer();
  const recordedAt = new Date(now).toISOString();
  for (let i = 0; i < events.length; i += 10_000) {
    const chunk = events.slice(i, i + 10_000);
    await Promise.all(
      Array.from({ length: chunk.length / 500 }, (_, b) =>
        sendAll(
          producer,
          topic,
          chunk.slice(b * 500, b * 500 + 500).map((e) => usageMessage(e, recordedAt)),
        ),
      ),
    );
  }
  await producer.disconnect();
  const end = [...(await topicEnds(topic)).values()].reduce((a, b) => a + b, 0n);

  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  try {
    await db.query(`
      CREATE TABLE bench_usage_rows (
        org_id text NOT NULL, event_id text NOT NULL, endpoint text NOT NULL, user_id text, model text,
        occurred_at timestamptz NOT NULL, input_chars bigint NOT NULL, output_chars bigint NOT NULL,
        PRIMARY KEY (org_id, event_id))`);
    const insertStarted = performance.now();
    for (let i = 0; i < events.length; i += INSERT_ROWS) {
      const chunk = events.slice(i, i + INSERT_ROWS);
      const values = chunk.map(
        (_, r) =>
          `($${r * 8 + 1},$${r * 8 + 2},$${r * 8 + 3},$${r * 8 + 4},$${r * 8 + 5},$${r * 8 + 6},$${r * 8 + 7},$${r * 8 + 8})`,
      );
      await db.query(
        `INSERT INTO bench_usage_rows VALUES ${values.join(',')}`,
        chunk.flatMap((e) => [
          e.orgId,
          e.id,
          e.endpoint,
          e.userId,
          e.model,
          e.timestamp,
          e.inputChars,
          e.outputChars,
        ]),
      );
    }
    const insertPerSecond = events.length / ((performance.now() - insertStarted) / 1000);

    const group = `bench-${ctx.runId}-projector`;
    const progress = async () =>
      BigInt(
        (
          await db.query<{ done: string }>(
            `SELECT coalesce(sum(next_offset), 0)::text AS done FROM consumer_offsets
             WHERE consumer_group = $1 AND topic = $2`,
            [group, topic],
          )
        ).rows[0].done,
      );

    const spawned = performance.now();
    const booting = ctx.apps.start({
      name: 'projector',
      entry: entries.projector,
      env: ctx.appEnv({
        PROJECTOR_HTTP_PORT: String(ports.projector),
        PROJECTOR_GROUP_ID: group,
        USAGE_TOPIC: topic,
        CALLS_ADMITTED_TOPIC: admitted,
      }),
      readyUrl: `http://127.0.0.1:${ports.projector}/health/ready`,
    });
    let bootError: Error | undefined;
    booting.catch((error: Error) => (bootError = error));
    let first: { at: number; done: bigint } | undefined;
    let finishedAt = 0;
    const deadline = spawned + 300_000;
    for (;;) {
      if (bootError) throw bootError;
      const done = await progress();
      const at = performance.now();
      if (done > 0n && !first) first = { at, done };
      if (done >= end) {
        finishedAt = at;
        break;
      }
      if (at > deadline) throw new Error(`projector reached ${done} of ${end} events in 300 s`);
      await sleep(POLL_MS);
    }
    await ctx.apps.stop(await booting);
    const projected = Number(end - first!.done);
    const projectorPerSecond = projected / ((finishedAt - first!.at) / 1000);
    const ratio = projectorPerSecond / insertPerSecond;
    return {
      title: 'Projector (issue 3)',
      method:
        `${EVENTS.toLocaleString('en-US')} usage events (${ORGS} orgs, 7 users, 3 endpoints, spread over the ` +
        `last minute) pre-filled in a topic of ${ctx.partitions} partitions; the projector starts with a fresh ` +
        `consumer group and is timed from its first committed batch until consumer_offsets reach the topic's ` +
        `end (polled every ${POLL_MS} ms; events of the first batch are not counted). Baseline: the same events, ` +
        `one row each, inserted by one pg connection as multi-row INSERTs of ${INSERT_ROWS} rows into a table ` +
        `keyed by (org_id, event_id), like the dedupe table, in the same database.`,
      rows: [
        {
          measure: 'events/s into PostgreSQL',
          figure: rate(projectorPerSecond, 'events'),
          baseline: rate(insertPerSecond, 'rows'),
          ratio,
          target: '≥ 50% of the bare INSERT',
          met: ratio >= 0.5,
        },
        {
          measure: 'from process start to the end of the topic',
          figure: ms(finishedAt - spawned),
        },
      ],
      notes: [],
    };
  } finally {
    await db.end();
  }
}
