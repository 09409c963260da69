import { randomBytes } from 'node:crypto';
import { migrate } from '@metergate/database';
import { Client, Pool } from 'pg';

const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database per test file, dropped afterwards: tests never share rows. */
export class TestDatabase {
  readonly pool: Pool;

  private constructor(
    readonly name: string,
    readonly url: string,
  ) {
    this.pool = new Pool({ connectionString: url, max: 4 });
  }

  static async create(prefix = 'test'): Promise<TestDatabase> {
    const name = `mg_${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    return new TestDatabase(name, url.toString());
  }

  async query<T extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, params)).rows;
  }

  async drop(): Promise<void> {
    // pool.end() resolves once its clients are asked to close, not once they have: a forced drop in
    // between terminates their backends, and the pool raises that as an error nobody listens to.
    let open = this.pool.totalCount;
    const closed = new Promise<void>((resolve) => {
      if (open === 0) resolve();
      this.pool.on('remove', () => --open === 0 && resolve());
    });
    await this.pool.end();
    await closed;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
