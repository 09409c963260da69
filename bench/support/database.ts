import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { repoRoot } from './processes';

const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh database for this run, migrated by the same command a deployment runs. */
export async function createDatabase(name: string): Promise<string> {
  const url = databaseUrl(name);
  await promisify(execFile)(process.execPath, ['dist/apps/projector/libs/database/src/migrate.main.js'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url },
  });
  return url;
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
