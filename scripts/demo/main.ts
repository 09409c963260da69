import { DemoSummary, runDemo } from './demo';
import { USAGE, UsageError, parseOptions, stackUrls, tokens } from './options';
import { HttpError, StackClient } from './stack-client';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(args);
  const client = new StackClient(stackUrls(process.env), tokens(process.env));
  const notReady = await client.notReady();
  if (notReady.length > 0) {
    for (const { app, url, problem } of notReady) console.error(`${app} at ${url}: not ready, ${problem}`);
    console.error(
      '\nStart the stack first with `npm start` (and wait for "Metergate is up"), or see .data/logs/<app>.log ' +
        'if it is running; point the demo elsewhere with INGEST_URL, DECISION_URL, TIER_URL and PROJECTOR_URL.',
    );
    return 1;
  }
  const summary = await runDemo(options, client, (line) => console.log(line));
  console.log(describe(summary, client.urls.tier));
  return 0;
}

function describe(s: DemoSummary, tierUrl: string): string {
  const o = s.organizations;
  const trials = o.steady.length + o.bursty.length + o.heavy.length + o.applicant.length + o.rejected.length;
  const denied = Object.entries(s.decisions.denied).sort(([, a], [, b]) => b - a);
  const orgs = (reason: string) => (s.deniedOrgs[reason] ?? []).join(', ') || 'none';
  return [
    '',
    `Demo done in ${s.seconds} s`,
    `  organizations  ${o.production.length} production (approved), ${trials} trial, ${o.suspended.length} suspended`,
    `  applications   ${s.applications.approved} approved, ${s.applications.rejected} rejected, ${s.applications.pending} pending review`,
    `  decisions      ${s.decisions.allowed} allowed, ${denied.map(([r, n]) => `${n} ${r}`).join(', ') || 'none denied'}` +
      (s.decisions.failed > 0 ? `, ${s.decisions.failed} failed` : ''),
    `  usage          ${s.usage.events} events, ${s.usage.chars.toLocaleString('en')} characters` +
      (s.usage.failed > 0 ? ` (${s.usage.failed} not accepted)` : ''),
    `  rate limited   ${orgs('rate_limited')}`,
    `  quota used up  ${orgs('quota_exhausted')}`,
    `  pending        ${o.applicant.join(', ')}`,
    '',
    'Look around (denials show up once their minute is over):',
    `  ${tierUrl}/v1/applications                      (pending applications, analyst or admin token)`,
    `  ${tierUrl}/v1/usage/top?metric=chars`,
    `  ${tierUrl}/v1/denials`,
    `  ${tierUrl}/v1/orgs/${o.heavy[0] ?? o.production[0]}/quota`,
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      console.error(
        `${error.message}\nThe stack refused the demo's token: set DEMO_SERVICE_TOKEN and DEMO_ADMIN_TOKEN.`,
      );
    } else console.error(error);
    process.exit(1);
  },
);
