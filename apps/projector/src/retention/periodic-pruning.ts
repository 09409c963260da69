import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { PeriodicJob } from '@metergate/platform';
import { DataSource } from 'typeorm';

/** Rows one pruning statement deletes at most (see pruneAged). */
export const PRUNE_BATCH_ROWS = 10_000;

/**
 * A pruning job on a timer: one run at a time, awaited at shutdown; a failed run is logged and tried
 * again at the next tick, since what it drops only costs room while it waits.
 */
export abstract class PeriodicPruning implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private readonly job: PeriodicJob;
  private stopping = false;

  protected constructor(
    private readonly database: DatabaseConnection,
    private readonly everyMs: number,
    private readonly what: string,
  ) {
    this.job = new PeriodicJob(() => this.prune(), everyMs);
  }

  /** Drops what the job keeps no longer. */
  protected abstract pruneWith(db: DataSource): Promise<void>;

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    this.stopping = true;
    return this.job.stop();
  }

  /**
   * Runs a pruneAged statement, PRUNE_BATCH_ROWS at a time, until nothing more has aged out (or the
   * app stops: the rest waits for the next run).
   */
  protected async deleteAged(db: DataSource, sql: string, params: unknown[]): Promise<void> {
    for (;;) {
      const [, deleted] = await db.query<[unknown, number]>(sql, [...params, PRUNE_BATCH_ROWS]);
      if (deleted < PRUNE_BATCH_ROWS || this.stopping) return;
    }
  }

  async prune(): Promise<void> {
    if (!this.database.dataSource.isInitialized) return;
    try {
      await this.pruneWith(this.database.dataSource);
    } catch (error) {
      this.logger.warn(
        `pruning ${this.what} failed, next try in ${this.everyMs / 1000} s: ${(error as Error).message}`,
      );
    }
  }
}
