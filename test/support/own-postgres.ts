import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './app-process';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries on this machine (PG_BIN_DIR overrides). */
function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)) : [];
  if (versions.length === 0)
    throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql; set PG_BIN_DIR');
  return join(base, String(Math.max(...versions.map(Number))), 'bin');
}

/**
 * A PostgreSQL cluster of a test's own (initdb into a temporary folder, its own port), so that the test
 * can crash it (`pg_ctl stop -m immediate`: no checkpoint, no flush of what is still in memory) without
 * touching the server other tests share. initdb refuses to run as root: as root, it runs as `postgres`.
 */
export class OwnPostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly settings: Record<string, string>,
  ) {}

  static async create(settings: Record<string, string> = {}): Promise<OwnPostgres> {
    const dir = mkdtempSync('/tmp/mg-pg-');
    if (userInfo().uid === 0) {
      const { uid, gid } = await OwnPostgres.postgresUser();
      chownSync(dir, uid, gid);
    }
    chmodSync(dir, 0o700);
    const cluster = new OwnPostgres(dir, await freePort(), settings);
    await cluster.pg('initdb', [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '-A',
      'trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    await cluster.start();
    return cluster;
  }

  private static async postgresUser(): Promise<{ uid: number; gid: number }> {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      ...Object.entries(this.settings).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ');
    await this.pg('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** Kills the server as a crash would: what was committed but not yet written to the WAL is lost. */
  async crash(): Promise<void> {
    await this.pg('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  /**
   * Freezes the server and its backends (SIGSTOP): connections stay open and connecting hangs, so whatever
   * queries it waits for its own timeouts, rather than failing at once as with a stopped server.
   */
  async freeze(): Promise<void> {
    for (const pid of await this.processes()) process.kill(pid, 'SIGSTOP');
  }

  async thaw(): Promise<void> {
    for (const pid of await this.processes()) process.kill(pid, 'SIGCONT');
  }

  private async processes(): Promise<number[]> {
    const postmaster = Number(readFileSync(join(this.dir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
    const { stdout } = await run('pgrep', ['-P', String(postmaster)]).catch(() => ({ stdout: '' }));
    return [postmaster, ...stdout.split('\n').filter(Boolean).map(Number)];
  }

  async query<T extends object>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    await this.thaw().catch(() => undefined);
    await this.crash().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async pg(program: string, args: string[]): Promise<void> {
    const path = join(binDir(), program);
    if (userInfo().uid === 0) await run('runuser', ['-u', 'postgres', '--', path, ...args]);
    else await run(path, args);
  }
}
