import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { DatabaseConnection } from '@metergate/database';
import { ConfigError, loadConfig, withTimeout } from '@metergate/platform';
import { AccessError } from '@metergate/policy';
import { userInfo } from 'node:os';
import { ConcurrentChangeError } from '../access/access-store.errors';
import { TierConfig } from '../tier.config';
import { AdminCliModule } from './admin-cli.module';
import { CliUsageError, runAdminCommand, USAGE } from './admin-cli';

const EXIT_REFUSED = 1;
const EXIT_USAGE = 2;

// `npm run admin -- <command> ...`: one command against the tier service's database, then exit.
async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig(TierConfig);
  const app = await NestFactory.createApplicationContext(AdminCliModule.create(config), {
    logger: ['error'],
  });
  try {
    await withTimeout(app.get(DatabaseConnection).whenConnected(), 10_000, 'PostgreSQL');
    const buses = { commands: app.get(CommandBus), queries: app.get(QueryBus) };
    const actor = process.env.METERGATE_ADMIN ?? userInfo().username;
    console.log(await runAdminCommand(argv, buses, actor));
    return 0;
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof AccessError) {
      console.error(`refused (${error.code}): ${error.message}`);
      return error.kind === 'invalid-input' ? EXIT_USAGE : EXIT_REFUSED;
    }
    if (error instanceof ConcurrentChangeError) {
      console.error(`refused (ACCESS.CONCURRENT_CHANGE): ${error.message}`);
      return EXIT_REFUSED;
    }
    throw error;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(EXIT_REFUSED);
  },
);
