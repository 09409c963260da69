import { randomBytes } from 'node:crypto';
import { DemoOptions } from './demo';
import { StackUrls, Tokens } from './stack-client';

export const USAGE = `npm run demo -- [--minutes 3] [--orgs 36] [--intensity 1] [--seed N] [--tag abc]

  --minutes    how long traffic is sent (0.1 to 60; default 3)
  --orgs       organizations (8 to 200; default 36)
  --intensity  how many calls each organization makes, relative to its usual (0.1 to 10; default 1);
               bursts past the rate limit and the exhaustion of quotas happen at any intensity
  --seed       makes a run repeatable (default: random)
  --tag        suffix of the organizations' ids, so that runs do not meet (default: random)

The stack must be running (npm start). Environment: INGEST_URL, DECISION_URL, TIER_URL, PROJECTOR_URL
(default http://127.0.0.1 and the *_HTTP_PORT of npm start), DEMO_SERVICE_TOKEN and DEMO_ADMIN_TOKEN
(default dev-service and dev-admin, which the stack accepts unless AUTH_TOKENS is set).`;

export class UsageError extends Error {}

const RANGES: Record<'minutes' | 'orgs' | 'intensity' | 'seed', [number, number]> = {
  minutes: [0.1, 60],
  orgs: [8, 200],
  intensity: [0.1, 10],
  seed: [0, 2 ** 32 - 1],
};

export function parseOptions(args: string[]): DemoOptions {
  const options: DemoOptions = {
    minutes: 3,
    orgs: 36,
    intensity: 1,
    seed: randomBytes(4).readUInt32LE(),
    tag: randomBytes(2).toString('hex'),
  };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    const name = flag.replace(/^--/, '');
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (name === 'tag') {
      if (!/^[a-z0-9]{1,8}$/.test(value)) throw new UsageError('--tag must be 1 to 8 of a-z and 0-9');
      options.tag = value;
    } else if (name === 'minutes' || name === 'orgs' || name === 'intensity' || name === 'seed') {
      const number = Number(value);
      const [min, max] = RANGES[name];
      const whole = name === 'orgs' || name === 'seed';
      if (!Number.isFinite(number) || number < min || number > max || (whole && !Number.isInteger(number))) {
        throw new UsageError(`--${name} must be ${whole ? 'an integer' : 'a number'} from ${min} to ${max}`);
      }
      options[name] = number;
    } else {
      throw new UsageError(`unknown option ${flag}`);
    }
  }
  return options;
}

export function stackUrls(env: NodeJS.ProcessEnv): StackUrls {
  const local = (port: string | undefined, fallback: number) => `http://127.0.0.1:${port || fallback}`;
  return {
    ingest: env.INGEST_URL || local(env.INGEST_HTTP_PORT, 3001),
    decision: env.DECISION_URL || local(env.DECISION_HTTP_PORT, 3002),
    tier: env.TIER_URL || local(env.TIER_HTTP_PORT, 3003),
    projector: env.PROJECTOR_URL || local(env.PROJECTOR_HTTP_PORT, 3004),
  };
}

export function tokens(env: NodeJS.ProcessEnv): Tokens {
  return { service: env.DEMO_SERVICE_TOKEN || 'dev-service', admin: env.DEMO_ADMIN_TOKEN || 'dev-admin' };
}
