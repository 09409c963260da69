import { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DECISION_ANSWER } from './answers';
import { Reply, serveDecisions } from './json-route';

const LIMIT = 500;
const WINDOW_SECONDS = 60;

function limiter(pool: Pool): Promise<RateLimiterPostgres> {
  return new Promise((resolve, reject) => {
    // The constructor creates its table in the background and reports through the callback.
    const created: RateLimiterPostgres = new RateLimiterPostgres(
      {
        storeClient: pool,
        storeType: 'pool',
        tableName: 'bench_rate_limits',
        keyPrefix: 'embed',
        points: LIMIT,
        duration: WINDOW_SECONDS,
      },
      (error?: Error) => (error ? reject(error) : resolve(created)),
    );
  });
}

/** The answer of the decision's shape, with its one limit filled in from what the limiter returned. */
function reply(allowed: boolean, res: RateLimiterRes): Reply {
  const resetSeconds = Math.ceil(res.msBeforeNext / 1000);
  return {
    body: {
      ...DECISION_ANSWER,
      allowed,
      reason: allowed ? null : 'rate_limited',
      retryAfterSeconds: allowed ? null : resetSeconds,
      limits: [
        {
          name: 'embed-minute',
          unit: 'calls',
          window: 'minute',
          windowSeconds: 60,
          limit: LIMIT,
          remaining: res.remainingPoints,
          reserved: 0,
          resetSeconds,
        },
      ],
    },
    headers: {
      'ratelimit-policy': `"embed-minute";q=${LIMIT};w=${WINDOW_SECONDS}`,
      ratelimit: `"embed-minute";r=${res.remainingPoints};t=${resetSeconds}`,
    },
  };
}

/**
 * rate-limiter-flexible as a Node service would use it for the same job: one RateLimiterPostgres (the
 * trial limit of embed, 500 a minute, keyed by org and endpoint; a fixed window, cheaper per check than
 * Metergate's sliding ones) consumed per call behind the same bare route as the baseline.
 */
async function main(): Promise<void> {
  // As many connections as the apps' own pools hold.
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const perMinute = await limiter(pool);
  serveDecisions(Number(process.env.BENCH_PORT), ({ orgId, endpoint }) =>
    perMinute.consume(`${orgId}:${endpoint}`).then(
      (res) => reply(true, res),
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return reply(false, rejection);
        throw rejection;
      },
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
