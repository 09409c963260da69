import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PlatformConfig, ReadinessChecks, retryWithBackoff, withTimeout } from '@metergate/platform';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { ensureDatabase } from './ensure-database';

/**
 * Connects in the background with backoff, so an app whose PostgreSQL is down at start stays up and
 * reports not-ready instead of crash-looping. Once connected, pg's pool replaces broken connections.
 */
@Injectable()
export class DatabaseConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseConnection.name);
  private connected?: Promise<void>;
  private markConnected!: () => void;
  private stopping = false;

  constructor(
    readonly dataSource: DataSource,
    private readonly config: PlatformConfig,
    readiness: ReadinessChecks,
  ) {
    this.connected = new Promise<void>((resolve) => (this.markConnected = resolve));
    readiness.register('postgres', async () => {
      if (!this.dataSource.isInitialized) throw new Error('not connected yet');
      await withTimeout(this.dataSource.query('SELECT 1'), 2000, 'PostgreSQL');
    });
  }

  onApplicationBootstrap(): void {
    void this.connectLoop();
  }

  /**
   * A connection of the pool for pg's own API (server-side cursors, rows as arrays), which a bulk read
   * of millions of rows needs and TypeORM does not offer. The caller releases it.
   */
  async connect(): Promise<PoolClient> {
    if (!this.dataSource.isInitialized) throw new Error('PostgreSQL is not connected yet');
    return (this.dataSource.driver as unknown as { master: Pool }).master.connect();
  }

  /** Resolves once the database is reachable; callers that need it at start wait here. */
  whenConnected(): Promise<void> {
    return this.connected!;
  }

  private async connectLoop(): Promise<void> {
    await retryWithBackoff(
      async () => {
        await ensureDatabase(this.config.DATABASE_URL);
        await this.dataSource.initialize();
        this.markConnected();
      },
      { what: 'reach PostgreSQL', logger: this.logger, stopped: () => this.stopping },
    );
  }

  /** Last of all: consumers and relays stop in the earlier hooks and may still need it until then. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
