import { PlatformConfig, loadConfig, runMain } from '@metergate/platform';
import { migrate } from './migrate';

// `npm run migrate`: creates the database when missing and applies pending migrations.
runMain(async () => {
  const { DATABASE_URL } = loadConfig(PlatformConfig);
  const applied = await migrate(DATABASE_URL);
  const where = new URL(DATABASE_URL);
  console.log(
    applied.length > 0
      ? `migrations applied to ${where.host}${where.pathname}: ${applied.join(', ')}`
      : `schema of ${where.host}${where.pathname} is up to date`,
  );
});
