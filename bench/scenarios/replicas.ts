import { Agent } from 'node:http';
import { BenchContext, median, ports, sleep } from '../support/context';
import { postOver } from '../support/http-load';
import { ScenarioResult, ms, percentile } from '../support/report';
import { startDecision } from '../support/servers';

/** The trial tier's generate limit per minute (config/access-policy.json). */
const LIMIT = 60;
const BURST = 120;
const BURSTS = 10;
/** The same checks spread evenly over a second, alternately to A and B. */
const SPREAD_OVER_MS = 1_000;
const SPREAD_BURSTS = 5;
const SAMPLES = 50;
const SPACED_CHECKS = 70;
const SPACING_MS = 120;
const POLL_MS = 2;
const VISIBLE_WITHIN_MS = 1_000;
/** Reservations: the trial generate quota (500,000 characters) holds this many of RESERVED characters. */
const QUOTA_CHARS = 500_000;
const RESERVED = 50_000;
const RESERVATION_BURST = 40;

interface Answer {
  allowed: boolean;
  limits: { remaining: number }[];
}

/**
 * Issue 11 (and the README's "Several decision replicas"): two decision replicas sharing only Kafka.
 * How soon one sees the other's admissions, how far a simultaneous burst split between them overshoots
 * a limit, and that checks spread wider than that delay are exact.
 */
export async function replicasScenario(ctx: BenchContext): Promise<ScenarioResult> {
  // One after the other: both create the shared topics when missing.
  const a = await startDecision(ctx, 'replica-a', { topics: 'replicas' });
  const b = await startDecision(ctx, 'replica-b', {
    topics: 'replicas',
    http: ports.decisionB,
    grpc: ports.decisionBGrpc,
  });
  const replicas = [ports.decision, ports.decisionB].map((port) => ({
    url: `http://127.0.0.1:${port}/v1/decisions`,
    agent: new Agent({ keepAlive: true, maxSockets: BURST }),
  }));
  let orgs = 0;
  const freshOrg = () => `rep-${ctx.runId}-${(orgs += 1)}`;
  const check = (replica: number, orgId: string, hits = 1) =>
    postOver(replicas[replica].agent, replicas[replica].url, {
      orgId,
      endpoint: 'generate',
      hits,
    }) as Promise<Answer>;
  // Asked once with hits 0 on both, so that neither replica's first sight of the org is in the timing.
  const known = async (orgId: string) => Promise.all([check(0, orgId, 0), check(1, orgId, 0)]);
  // A warm pool of connections to each replica, so that a burst leaves at once.
  const warmOrg = freshOrg();
  await Promise.all(Array.from({ length: BURST }, (_, i) => check(i % 2, warmOrg, 0)));

  const seenAfter: number[] = [];
  for (let s = 0; s < SAMPLES * ctx.repeat; s += 1) {
    const orgId = freshOrg();
    await known(orgId);
    const [from, to] = s % 2 === 0 ? [0, 1] : [1, 0];
    await check(from, orgId);
    const admittedAt = performance.now();
    for (;;) {
      const answer = await check(to, orgId, 0);
      if (answer.limits[0].remaining === LIMIT - 1) break;
      if (performance.now() - admittedAt > 30_000) throw new Error(`replica never saw ${orgId}'s admission`);
      await sleep(POLL_MS);
    }
    seenAfter.push(performance.now() - admittedAt);
  }

  const burstAllowed: number[] = [];
  for (let k = 0; k < BURSTS * ctx.repeat; k += 1) {
    const orgId = freshOrg();
    await known(orgId);
    const answers = await Promise.all(Array.from({ length: BURST }, (_, i) => check(i % 2, orgId)));
    burstAllowed.push(answers.filter((answer) => answer.allowed).length);
  }

  const spreadAllowed: number[] = [];
  for (let k = 0; k < SPREAD_BURSTS * ctx.repeat; k += 1) {
    const orgId = freshOrg();
    await known(orgId);
    const started = performance.now();
    const answers: Promise<Answer>[] = [];
    for (let i = 0; i < BURST; i += 1) {
      const wait = started + (i * SPREAD_OVER_MS) / BURST - performance.now();
      if (wait > 0) await sleep(wait);
      answers.push(check(i % 2, orgId));
    }
    spreadAllowed.push((await Promise.all(answers)).filter((answer) => answer.allowed).length);
  }

  // Issue 12: checks reserving characters, a burst split between the replicas against room for 10.
  const reservedAllowed: number[] = [];
  for (let k = 0; k < BURSTS * ctx.repeat; k += 1) {
    const orgId = freshOrg();
    await known(orgId);
    const answers = await Promise.all(
      Array.from(
        { length: RESERVATION_BURST },
        (_, i) =>
          postOver(replicas[i % 2].agent, replicas[i % 2].url, {
            orgId,
            endpoint: 'generate',
            requestId: `res-${i}`,
            chars: RESERVED,
          }) as Promise<Answer>,
      ),
    );
    reservedAllowed.push(answers.filter((answer) => answer.allowed).length);
  }

  const spacedAllowed: number[] = [];
  for (let r = 0; r < ctx.repeat; r += 1) {
    const orgId = freshOrg();
    await known(orgId);
    let allowed = 0;
    for (let i = 0; i < SPACED_CHECKS; i += 1) {
      if ((await check(i % 2, orgId)).allowed) allowed += 1;
      await sleep(SPACING_MS);
    }
    spacedAllowed.push(allowed);
  }
  replicas.forEach((replica) => replica.agent.destroy());
  await Promise.all([ctx.apps.stop(a), ctx.apps.stop(b)]);

  seenAfter.sort((x, y) => x - y);
  const maxSeen = seenAfter[seenAfter.length - 1];
  const overshoot = burstAllowed.map((allowed) => allowed - LIMIT);
  const signed = (n: number) => `${n >= 0 ? '+' : ''}${n}`;
  return {
    title: 'Two decision replicas (issue 11)',
    method:
      `Two decision replicas on the same topics and database, each with its own HTTP keep-alive pool from ` +
      `the bench; the trial limit of generate, ${LIMIT} calls a minute; every org is fresh and asked once ` +
      `with hits 0 on both replicas first. Visibility: ${seenAfter.length} times, one counted check on one ` +
      `replica (alternately A and B), then the other asked with hits 0 every ${POLL_MS} ms until its ` +
      `minute limit shows the call; from the first answer to the first answer of the other that shows it. ` +
      `Burst: ${burstAllowed.length} times, ${BURST} checks sent at once (over connections opened ` +
      `beforehand), alternately to A and B. Burst over a second: ${spreadAllowed.length} times, the same ` +
      `${BURST} checks sent evenly over ${SPREAD_OVER_MS} ms. Spaced: ${SPACED_CHECKS} checks ` +
      `${SPACING_MS} ms apart, alternately to A and B.`,
    rows: [
      {
        measure: 'an admission on one replica seen by the other: p50 / p99 / max',
        figure: [percentile(seenAfter, 50), percentile(seenAfter, 99), maxSeen].map(ms).join(' / '),
        target: `max < ${VISIBLE_WITHIN_MS / 1000} s`,
        met: maxSeen < VISIBLE_WITHIN_MS,
      },
      {
        measure: `burst of ${BURST} simultaneous checks (${BURST / 2} per replica), allowed`,
        figure:
          `median ${median(burstAllowed)} (${Math.min(...burstAllowed)} to ${Math.max(...burstAllowed)}) ` +
          `for a limit of ${LIMIT}`,
        target: `${LIMIT} to ${2 * LIMIT} (at most (R − 1) × the limit over)`,
        met: Math.min(...burstAllowed) >= LIMIT && Math.max(...burstAllowed) <= 2 * LIMIT,
      },
      {
        measure: 'overshoot of the burst',
        figure:
          `median ${signed(median(overshoot))} (${signed(Math.min(...overshoot))} to ` +
          `${signed(Math.max(...overshoot))}), ${Math.round((median(overshoot) / LIMIT) * 100)}% of the limit`,
      },
      {
        measure: `${BURST} checks over ${SPREAD_OVER_MS} ms, allowed`,
        figure:
          `median ${median(spreadAllowed)} (${Math.min(...spreadAllowed)} to ${Math.max(...spreadAllowed)}) ` +
          `for a limit of ${LIMIT}`,
        target: `${LIMIT} to ${2 * LIMIT}`,
        met: Math.min(...spreadAllowed) >= LIMIT && Math.max(...spreadAllowed) <= 2 * LIMIT,
      },
      {
        measure: `burst of ${RESERVATION_BURST} checks reserving ${RESERVED.toLocaleString('en-US')} characters each, allowed`,
        figure:
          `median ${median(reservedAllowed)} (${Math.min(...reservedAllowed)} to ${Math.max(...reservedAllowed)}) ` +
          `for room for ${QUOTA_CHARS / RESERVED}`,
        target: `${QUOTA_CHARS / RESERVED} to ${(2 * QUOTA_CHARS) / RESERVED}`,
        met:
          Math.min(...reservedAllowed) >= QUOTA_CHARS / RESERVED &&
          Math.max(...reservedAllowed) <= (2 * QUOTA_CHARS) / RESERVED,
      },
      {
        measure: `${SPACED_CHECKS} checks ${SPACING_MS} ms apart, allowed`,
        figure: spacedAllowed.join(', '),
        target: `exactly ${LIMIT}`,
        met: spacedAllowed.every((allowed) => allowed === LIMIT),
      },
    ],
    notes: [
      `Allowed per burst: ${burstAllowed.join(', ')}; per burst over a second: ${spreadAllowed.join(', ')}; ` +
        `per burst of reservations: ${reservedAllowed.join(', ')}.`,
    ],
  };
}
