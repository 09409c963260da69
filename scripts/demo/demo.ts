import { DemoOrg, Profile, castOrganizations } from './cast';
import { Random } from './random';
import { StackClient, UsageEvent } from './stack-client';
import { DemoCall, callsInSecond } from './traffic';

export interface DemoOptions {
  minutes: number;
  orgs: number;
  intensity: number;
  seed: number;
  tag: string;
}

export interface DemoSummary {
  organizations: Record<Profile, string[]>;
  applications: { approved: number; rejected: number; pending: number };
  decisions: { allowed: number; denied: Record<string, number>; failed: number };
  usage: { events: number; chars: number; failed: number };
  /** Organizations denied at least once, per reason. */
  deniedOrgs: Record<string, string[]>;
  seconds: number;
}

const CONCURRENCY = 32;
/** Usage events kept for a retry while ingest refuses them; beyond, the oldest are given up. */
const MAX_UNSENT_USAGE = 20_000;
const USAGE_BATCH = 1000;

const APPLICATIONS = [
  {
    useCase: 'Support assistant that drafts answers to customer tickets',
    intendedUse: 'Agents review every draft before it is sent',
    risks: 'Wrong answers could reach customers; a human approves each one and we log every draft',
  },
  {
    useCase: 'Summaries of legal contracts for our paralegals',
    intendedUse: 'Internal only, as a first read; lawyers check every summary',
    risks: 'A missed clause; summaries link to the source paragraphs and are never final',
  },
  {
    useCase: 'Product descriptions for an online catalogue',
    intendedUse: 'Published after an editor approves them',
    risks: 'Misleading claims; editors check claims against the product sheet',
  },
  {
    useCase: 'Semantic search over our engineering wiki',
    intendedUse: 'Employees search and read the linked pages',
    risks: 'Exposure of restricted pages; results are filtered by the reader’s permissions',
  },
];

const REVIEWERS = ['rita', 'sam'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Brings a running stack to life through its public APIs only: organizations on both tiers, some
 * approved, rejected or waiting for review, one suspended, and minutes of traffic (a decision before
 * each call, then its usage under the decision's requestId), so that every page has something true.
 */
export async function runDemo(
  options: DemoOptions,
  client: StackClient,
  log: (line: string) => void,
): Promise<DemoSummary> {
  const random = new Random(options.seed);
  const orgs = castOrganizations(options.orgs, options.tag, random);
  const summary: DemoSummary = {
    organizations: {
      production: [],
      steady: [],
      bursty: [],
      heavy: [],
      applicant: [],
      rejected: [],
      suspended: [],
    },
    applications: { approved: 0, rejected: 0, pending: 0 },
    decisions: { allowed: 0, denied: {}, failed: 0 },
    usage: { events: 0, chars: 0, failed: 0 },
    deniedOrgs: {},
    seconds: 0,
  };
  for (const org of orgs) summary.organizations[org.profile].push(org.orgId);

  log(`setting up ${orgs.length} organizations (tag ${options.tag})`);
  await setUp(orgs, client, random, summary);
  await untilApprovalsApply(orgs, client);

  const denied = new Map<string, Set<string>>();
  let unsent: UsageEvent[] = [];
  const startedAt = Date.now();
  const endAt = startedAt + options.minutes * 60_000;
  log(`sending traffic for ${options.minutes} minute(s) at intensity ${options.intensity}`);
  for (let second = 0; Date.now() < endAt; second += 1) {
    const tickAt = Date.now();
    const calls = orgs.flatMap((org) => callsInSecond(org, second, options.intensity, random));
    await eachLimited(calls, CONCURRENCY, async (call) => {
      const answer = await client.decide(call).catch(() => undefined);
      if (!answer) {
        summary.decisions.failed += 1;
        return;
      }
      if (!answer.allowed) {
        const reason = answer.reason ?? 'unknown';
        summary.decisions.denied[reason] = (summary.decisions.denied[reason] ?? 0) + 1;
        if (!denied.has(reason)) denied.set(reason, new Set());
        denied.get(reason)!.add(call.orgId);
        return;
      }
      summary.decisions.allowed += 1;
      unsent.push(usageOf(call, answer.requestId));
    });
    unsent = await sendUsage(unsent, client, summary);
    if (second > 0 && second % 15 === 0) log(progress(summary, Date.now() - startedAt));
    await sleep(Math.max(0, tickAt + 1000 - Date.now()));
  }
  unsent = await sendUsage(unsent, client, summary);
  summary.usage.failed += unsent.length;
  summary.seconds = Math.round((Date.now() - startedAt) / 1000);
  summary.deniedOrgs = Object.fromEntries([...denied].map(([reason, set]) => [reason, [...set].sort()]));
  return summary;
}

async function setUp(
  orgs: DemoOrg[],
  client: StackClient,
  random: Random,
  summary: DemoSummary,
): Promise<void> {
  for (const org of orgs) {
    const submittedBy = `${org.users[0]}@${org.orgId}.example`;
    const application = { ...random.pick(APPLICATIONS), commitment: true, submittedBy };
    switch (org.profile) {
      case 'production': {
        const id = await client.submitApplication(org.orgId, application);
        await client.approve(id, random.pick(REVIEWERS), 'Use case and safeguards are clear');
        summary.applications.approved += 1;
        break;
      }
      case 'applicant':
        await client.submitApplication(org.orgId, application);
        summary.applications.pending += 1;
        break;
      case 'rejected': {
        const id = await client.submitApplication(org.orgId, {
          ...application,
          risks: 'None that we can think of',
        });
        await client.reject(
          id,
          random.pick(REVIEWERS),
          'The risks are not addressed: say how outputs are checked',
        );
        summary.applications.rejected += 1;
        break;
      }
      case 'suspended':
        await client.suspend(org.orgId, random.pick(REVIEWERS), 'Generated spam for a mailing campaign');
        break;
      case 'steady':
      case 'bursty':
      case 'heavy':
        break;
    }
  }
}

/** Approvals reach the decision API through Kafka within moments; traffic starts once they have. */
async function untilApprovalsApply(orgs: DemoOrg[], client: StackClient): Promise<void> {
  const approved = orgs.filter((o) => o.profile === 'production');
  const deadline = Date.now() + 30_000;
  for (const org of approved) {
    for (;;) {
      const answer = await client
        .decide({ orgId: org.orgId, userId: org.users[0], endpoint: 'generate', model: 'large' }, 0)
        .catch(() => undefined);
      if (answer?.tier === 'production' || Date.now() > deadline) break;
      await sleep(200);
    }
  }
}

function usageOf(call: DemoCall, requestId: string): UsageEvent {
  return {
    id: requestId,
    orgId: call.orgId,
    userId: call.userId,
    endpoint: call.endpoint,
    model: call.model,
    inputChars: call.inputChars,
    outputChars: call.outputChars,
    timestamp: new Date().toISOString(),
  };
}

/** Sends what is unsent in batches; returns what ingest did not take, to try again next second. */
async function sendUsage(
  events: UsageEvent[],
  client: StackClient,
  summary: DemoSummary,
): Promise<UsageEvent[]> {
  const left: UsageEvent[] = [];
  for (let start = 0; start < events.length; start += USAGE_BATCH) {
    const batch = events.slice(start, start + USAGE_BATCH);
    const sent = await client.recordUsage(batch).then(
      () => true,
      () => false,
    );
    if (!sent) {
      left.push(...batch);
      continue;
    }
    summary.usage.events += batch.length;
    summary.usage.chars += batch.reduce((sum, e) => sum + e.inputChars + e.outputChars, 0);
  }
  const dropped = Math.max(0, left.length - MAX_UNSENT_USAGE);
  summary.usage.failed += dropped;
  return left.slice(dropped);
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function progress(summary: DemoSummary, elapsedMs: number): string {
  const seconds = Math.round(elapsedMs / 1000);
  const denied = Object.values(summary.decisions.denied).reduce((sum, n) => sum + n, 0);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return `${clock}  decisions ${summary.decisions.allowed + denied} (denied ${denied})  usage events ${summary.usage.events}`;
}
