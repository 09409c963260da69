import { DemoOrg } from './cast';
import { Random } from './random';

/** One call a gateway would check, and report the usage of once it is done. */
export interface DemoCall {
  orgId: string;
  userId: string;
  endpoint: 'generate' | 'embed' | 'classify';
  model: 'small' | 'medium' | 'large';
  inputChars: number;
  outputChars: number;
}

/** A bursty org's batch job: more than the trial's 60 generate calls a minute, at once. */
const BURST_CALLS: [number, number] = [75, 110];

const ENDPOINTS = [
  ['generate', 60],
  ['embed', 25],
  ['classify', 15],
] as const;

/** Trials rarely ask for the large model (and are refused); production uses it for the hard cases. */
const TRIAL_MODELS = [
  ['small', 60],
  ['medium', 38],
  ['large', 2],
] as const;
const PRODUCTION_MODELS = [
  ['small', 50],
  ['medium', 35],
  ['large', 15],
] as const;

/** The calls an organization makes in one second of the run. */
export function callsInSecond(org: DemoOrg, second: number, intensity: number, random: Random): DemoCall[] {
  const calls: DemoCall[] = [];
  const count = random.poisson((org.callsPerMinute * intensity) / 60);
  for (let i = 0; i < count; i += 1) calls.push(call(org, random));
  if (org.profile === 'bursty' && second % 60 === org.burstSecond) {
    const burst = random.int(...BURST_CALLS);
    for (let i = 0; i < burst; i += 1) calls.push({ ...call(org, random), endpoint: 'generate' });
  }
  return calls;
}

function call(org: DemoOrg, random: Random): DemoCall {
  const userId = random.pick(org.users);
  const model = random.weighted(org.profile === 'production' ? PRODUCTION_MODELS : TRIAL_MODELS);
  if (org.profile === 'heavy') {
    // Summaries of long documents: what drains a trial's character quota in a minute or two.
    const inputChars = random.logNormal(20_000, 0.4);
    return {
      orgId: org.orgId,
      userId,
      endpoint: 'generate',
      model,
      inputChars,
      outputChars: random.logNormal(1_500, 0.5),
    };
  }
  const endpoint = random.weighted(ENDPOINTS);
  switch (endpoint) {
    case 'generate':
      return {
        orgId: org.orgId,
        userId,
        endpoint,
        model,
        inputChars: random.logNormal(900, 0.9),
        outputChars: random.logNormal(500, 0.8),
      };
    case 'embed':
      return {
        orgId: org.orgId,
        userId,
        endpoint,
        model,
        inputChars: random.logNormal(400, 1),
        outputChars: 0,
      };
    case 'classify':
      return {
        orgId: org.orgId,
        userId,
        endpoint,
        model,
        inputChars: random.logNormal(250, 0.7),
        outputChars: random.logNormal(12, 0.3),
      };
  }
}
