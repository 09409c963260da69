import { ConfigError, PlatformConfig, loadConfig } from '@metergate/platform';
import { migrate } from './migrate';

// `npm run migrate`: creates the database when missing and applies pending migrations.
async function main(): Promise<void> {
  const { DATABASE_URL } = loadConfig(PlatformConfig);
  const applied = await migrate(DATABASE_URL);
  const where = new URL(DATABASE_URL);
  console.log(
    applied.length > 0
      ? `migrations applied to ${where.host}${where.pathname}: ${applied.join(', ')}`
      : `schema of ${where.host}${where.pathname} is up to date`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
