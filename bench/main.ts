import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BenchContext } from './support/context';
import { createDatabase, dropDatabase } from './support/database';
import { benchKafka, brokers } from './support/kafka';
import { AppRegistry, logDir, repoRoot } from './support/processes';
import { ScenarioResult, renderReport } from './support/report';
import { decisionFreshnessScenario } from './scenarios/decision-freshness';
import { decisionLatencyScenario } from './scenarios/decision-latency';
import { decisionThroughputScenario } from './scenarios/decision-throughput';
import { freshnessScenario } from './scenarios/freshness';
import { ingestScenario } from './scenarios/ingest';
import { memoryScenario } from './scenarios/memory';
import { projectorScenario } from './scenarios/projector';
import { replicasScenario } from './scenarios/replicas';

const PARTITIONS = 12;

async function deleteTopics(prefix: string): Promise<void> {
  const admin = benchKafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

const SCENARIOS = [
  'ingest',
  'projector',
  'freshness',
  'decision-throughput',
  'decision-latency',
  'decision-freshness',
  'replicas',
  'memory',
] as const;

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const unknown = only?.filter((name) => !(SCENARIOS as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown scenarios: ${unknown.join(', ')}`);
  const repeat = Number(process.env.BENCH_REPEAT ?? 3);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('BENCH_REPEAT must be a whole number from 1');
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const runId = `${startedAt.getTime().toString(36)}${randomBytes(2).toString('hex')}`;
  const databaseName = `mg_bench_${runId}`;
  mkdirSync(logDir, { recursive: true });
  const apps = new AppRegistry();
  const databaseUrl = await createDatabase(databaseName);
  const ctx: BenchContext = {
    runId,
    databaseUrl,
    apps,
    partitions: PARTITIONS,
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    repeat,
    topic: (name) => `bench.${runId}.${name}`,
    appEnv: (overrides) => ({
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
      KAFKA_CLIENT_ID: `bench-${runId}`,
      ...overrides,
    }),
  };
  const scenarios: [(typeof SCENARIOS)[number], () => Promise<ScenarioResult | ScenarioResult[]>][] = [
    ['ingest', () => ingestScenario(ctx)],
    ['projector', () => projectorScenario(ctx)],
    ['freshness', () => freshnessScenario(ctx)],
    ['decision-throughput', () => decisionThroughputScenario(ctx)],
    ['decision-latency', () => decisionLatencyScenario(ctx)],
    ['decision-freshness', () => decisionFreshnessScenario(ctx)],
    ['replicas', () => replicasScenario(ctx)],
    ['memory', () => memoryScenario(ctx)],
  ];
  const results: ScenarioResult[] = [];
  try {
    for (const [name, run] of scenarios) {
      if (only && !only.includes(name)) continue;
      console.log(`bench: ${name}...`);
      const loadBefore = loadavg()[0];
      const outcome = await run();
      const loadAfter = loadavg()[0];
      for (const result of Array.isArray(outcome) ? outcome : [outcome]) {
        results.push(result);
        result.notes.push(
          `1-minute load average ${loadBefore.toFixed(1)} when the scenario started, ${loadAfter.toFixed(1)} ` +
            `when it ended.`,
        );
        for (const row of result.rows)
          console.log(`  ${row.measure}: ${row.figure}${row.baseline ? ` vs ${row.baseline}` : ''}`);
      }
    }
  } finally {
    await apps.stopAll();
    await dropDatabase(databaseName).catch((error: Error) => console.error(`bench: ${error.message}`));
    await deleteTopics(`bench.${runId}.`).catch((error: Error) => console.error(`bench: ${error.message}`));
  }
  const elapsed = (Date.now() - startedAt.getTime()) / 1000;
  const command = ['BENCH_SECONDS', 'BENCH_REPEAT', 'BENCH_ONLY']
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name]} `)
    .join('');
  const report = renderReport(results, startedAt, elapsed, loadAtStart, `${command}npm run bench`);
  // A partial run must not overwrite the committed results.
  const target = only ? join(logDir, 'RESULTS.partial.md') : join(repoRoot, 'bench', 'RESULTS.md');
  writeFileSync(target, report);
  console.log(`bench: wrote ${target} in ${Math.round(elapsed)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
