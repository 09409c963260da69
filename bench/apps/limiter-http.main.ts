import { Module } from '@nestjs/common';
import { PlatformConfig, PlatformModule, bootstrapHttpApp, loadConfig, runMain } from '@metergate/platform';
import { Pool } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { LIMITERS, LimiterController, Limiters } from './limiter.controller';

function limiter(
  pool: Pool,
  keyPrefix: string,
  points: number,
  duration: number,
): Promise<RateLimiterPostgres> {
  return new Promise((resolve, reject) => {
    // The constructor creates its table in the background and reports through the callback.
    const created: RateLimiterPostgres = new RateLimiterPostgres(
      { storeClient: pool, storeType: 'pool', tableName: 'bench_rate_limits', keyPrefix, points, duration },
      (error?: Error) => (error ? reject(error) : resolve(created)),
    );
  });
}

runMain(async () => {
  const config = loadConfig(PlatformConfig);
  // As many connections as the apps' own pools hold.
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 10 });
  const perMinute = await limiter(pool, 'minute', 500, 60);
  const limiters: Limiters = { perMinute, perDay: await limiter(pool, 'day', 100_000, 86_400) };
  @Module({
    imports: [PlatformModule.forRoot(config)],
    controllers: [LimiterController],
    providers: [{ provide: LIMITERS, useValue: limiters }],
  })
  class LimiterHttpModule {}
  return bootstrapHttpApp(LimiterHttpModule, { name: 'limiter-http', port: Number(process.env.BENCH_PORT) });
});
