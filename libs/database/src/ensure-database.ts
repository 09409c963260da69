import { hidePassword, isPostgresUrl } from '@metergate/platform';
import { Client } from 'pg';

/** Creates the database named in the URL when it does not exist yet (connecting to `postgres` to do it). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  // URL's own error would carry the whole input, password included, into whatever prints it.
  if (!isPostgresUrl(databaseUrl)) throw new Error(`not a postgres:// URL: ${hidePassword(databaseUrl)}`);
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client
        .query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
        .catch((error: { code?: string }) => {
          // Two processes may race to create it; the loser finds it there.
          if (error.code !== '42P04') throw error;
        });
    }
  } finally {
    await client.end();
  }
}
