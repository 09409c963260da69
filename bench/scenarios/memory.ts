import { BenchContext, ports, sleep } from '../support/context';
import { createDatabase, dropDatabase } from '../support/database';
import { postJson } from '../support/http-load';
import { createTopic } from '../support/kafka';
import { activeOrgIds, seedOrgs } from '../support/org-seed';
import { ScenarioResult, mib, ms } from '../support/report';
import { decisionTopics, startDecision } from '../support/servers';

const KNOWN_ORGS = 1_000_000;
const BATCH = 1_000;
const CONCURRENT_BATCHES = 4;
const SETTLE_MS = 3_000;
const READY_POLL_MS = 50;
const MAX_RSS_MIB = 512;
const MAX_START_MS = 15_000;

/**
 * Issue 11, memory and start-up: a decision app started on a database of 1,000,000 known orgs, 100,000
 * of them active in their windows (support/org-seed.ts). Timed from the spawn to /health/ready (an app
 * that loads a complete snapshot at start reports ready only once loaded), then every active org gets
 * one counted check, so that an app that loads orgs on first sight holds them too; then its memory is
 * read from /proc. An app started the same way on an empty database gives the baseline.
 */
export async function memoryScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const databaseName = `mg_bench_${ctx.runId}_orgs`;
  const emptyName = `mg_bench_${ctx.runId}_empty`;
  const [databaseUrl, emptyUrl] = await Promise.all([
    createDatabase(databaseName),
    createDatabase(emptyName),
  ]);
  try {
    const start = async (name: string, url: string) => {
      // Created beforehand, as a deployment's are: the time to ready is the app's own start and load.
      for (const topic of Object.values(decisionTopics(ctx, name))) await createTopic(topic, ctx.partitions);
      return startDecision(ctx, name, {
        env: { DATABASE_URL: url },
        pollMs: READY_POLL_MS,
        timeoutMs: 180_000,
      });
    };
    const empty = await start('decision-empty', emptyUrl);
    const emptyMemory = await empty.memory();
    await ctx.apps.stop(empty);

    const seedMs = await seedOrgs(databaseUrl, KNOWN_ORGS);
    const decision = await start('decision-orgs', databaseUrl);
    const atReady = await decision.memory();
    const active = activeOrgIds(KNOWN_ORGS);
    const { allowed, drivenMs } = await driveOnce(active);
    // Admissions are published and read back by the app's own consumer: measure once that has settled.
    await sleep(SETTLE_MS);
    const loaded = await decision.memory();
    const inModel = await orgsInModel();
    await ctx.apps.stop(decision);
    return report({
      emptyReadyMs: empty.readyAfterMs,
      emptyRssMiB: emptyMemory.rssMiB,
      readyMs: decision.readyAfterMs,
      atReadyMiB: atReady.rssMiB,
      rssMiB: loaded.rssMiB,
      peakMiB: loaded.peakMiB,
      seedMs,
      active: active.length,
      allowed,
      drivenMs,
      inModel,
    });
  } finally {
    await Promise.all([dropDatabase(databaseName), dropDatabase(emptyName)]);
  }
}

/** One counted embed check for each org, through the batch endpoint. */
async function driveOnce(orgIds: string[]): Promise<{ allowed: number; drivenMs: number }> {
  const started = performance.now();
  let next = 0;
  let allowed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT_BATCHES }, async () => {
      while (next < orgIds.length) {
        const from = next;
        next += BATCH;
        const answer = (await postJson(`http://127.0.0.1:${ports.decision}/v1/decisions/batch`, {
          checks: orgIds.slice(from, from + BATCH).map((orgId) => ({ orgId, endpoint: 'embed' })),
        })) as { results: { allowed: boolean }[] };
        allowed += answer.results.filter((r) => r.allowed).length;
      }
    }),
  );
  return { allowed, drivenMs: performance.now() - started };
}

async function orgsInModel(): Promise<string> {
  const readiness = (await fetch(`http://127.0.0.1:${ports.decision}/health/ready`).then((r) =>
    r.json(),
  )) as {
    info?: { 'read-model'?: { orgs?: number } };
  };
  return readiness.info?.['read-model']?.orgs?.toLocaleString('en-US') ?? '?';
}

function report(m: {
  emptyReadyMs: number;
  emptyRssMiB: number;
  readyMs: number;
  atReadyMiB: number;
  rssMiB: number;
  peakMiB: number;
  seedMs: number;
  active: number;
  allowed: number;
  drivenMs: number;
  inModel: string;
}): ScenarioResult {
  const known = KNOWN_ORGS.toLocaleString('en-US');
  const active = m.active.toLocaleString('en-US');
  const perOrg = ((m.rssMiB - m.emptyRssMiB) * 1024 * 1024) / KNOWN_ORGS;
  return {
    title: 'Memory and start-up of the decision app (issue 11)',
    method:
      `A database of ${known} known orgs seeded with generate_series (bench/support/org-seed.ts): an ` +
      `org_access row each (1 in 10 production, 1 in 100 suspended), lifetime totals for generate and ` +
      `embed (${(KNOWN_ORGS * 2).toLocaleString('en-US')} usage_lifetime rows); ${active} of them active: ` +
      `10 minute buckets in the last 24 h and 3 second buckets in the last 30 s each. A decision app ` +
      `(empty topics created beforehand, no projector offsets) is timed from its spawn to the first 200 of /health/ready ` +
      `(asked every ${READY_POLL_MS} ms); then the ${active} active orgs get one counted embed check each ` +
      `through POST /v1/decisions/batch (${BATCH} per request, ${CONCURRENT_BATCHES} at a time) and ` +
      `${SETTLE_MS / 1000} s later VmRSS and VmHWM are read from /proc/<pid>/status. Baseline: the same ` +
      `app started on an empty database of this run.`,
    rows: [
      {
        measure: `resident memory, ${known} known and ${active} active orgs`,
        figure: mib(m.rssMiB),
        baseline: `${mib(m.emptyRssMiB)} (empty database)`,
        target: `≤ ${MAX_RSS_MIB} MiB`,
        met: m.rssMiB <= MAX_RSS_MIB,
      },
      { measure: 'resident memory at ready, before any check', figure: mib(m.atReadyMiB) },
      { measure: 'peak resident memory (VmHWM)', figure: mib(m.peakMiB) },
      {
        measure: 'from process start to /health/ready',
        figure: ms(m.readyMs),
        baseline: `${ms(m.emptyReadyMs)} (empty database)`,
        target: `≤ ${MAX_START_MS / 1000} s`,
        met: m.readyMs <= MAX_START_MS,
      },
    ],
    notes: [
      `Memory above the empty app's: ${mib(m.rssMiB - m.emptyRssMiB)}, ${Math.round(perOrg)} bytes per ` +
        `known org.`,
      `${m.allowed.toLocaleString('en-US')} of ${active} checks allowed, driven in ` +
        `${(m.drivenMs / 1000).toFixed(1)} s; ${m.inModel} orgs in the read model per /health/ready.`,
      `Seeding the database took ${(m.seedMs / 1000).toFixed(1)} s.`,
    ],
  };
}
