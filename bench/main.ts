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
import { decisionScenarios } from './scenarios/decisions';
import { freshnessScenario } from './scenarios/freshness';
import { ingestScenario } from './scenarios/ingest';
import { memoryScenario } from './scenarios/memory';
import { projectorScenario } from './scenarios/projector';

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

async function main(): Promise<void> {
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
    topic: (name) => `bench.${runId}.${name}`,
    appEnv: (overrides) => ({
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
      KAFKA_CLIENT_ID: `bench-${runId}`,
      ...overrides,
    }),
  };
  const only = process.env.BENCH_ONLY?.split(',');
  const scenarios: [string, () => Promise<ScenarioResult | ScenarioResult[]>][] = [
    ['ingest', () => ingestScenario(ctx)],
    ['projector', () => projectorScenario(ctx)],
    ['freshness', () => freshnessScenario(ctx)],
    ['decisions', () => decisionScenarios(ctx)],
    ['decision-freshness', () => decisionFreshnessScenario(ctx)],
    ['memory', () => memoryScenario(ctx)],
  ];
  const results: ScenarioResult[] = [];
  try {
    for (const [name, run] of scenarios) {
      if (only && !only.includes(name)) continue;
      console.log(`bench: ${name}...`);
      const outcome = await run();
      results.push(...(Array.isArray(outcome) ? outcome : [outcome]));
      for (const result of Array.isArray(outcome) ? outcome : [outcome]) {
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
  const report = renderReport(results, startedAt, elapsed, loadAtStart);
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
