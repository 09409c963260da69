import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { PeriodicJob } from '@metergate/platform';
import { DataSource } from 'typeorm';

/**
 * A pruning job on a timer: one run at a time, awaited at shutdown; a failed run is logged and tried
 * again at the next tick, since what it drops only costs room while it waits.
 */
export abstract class PeriodicPruning implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private readonly job: PeriodicJob;

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
    return this.job.stop();
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
