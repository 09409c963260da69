import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { ProjectorConfig } from '../projector.config';
import { UsageSql } from './usage.sql';

const EVERY_MS = 60_000;

/**
 * Drops window buckets older than any window reads (a minute, a day) plus a margin, and dedupe marks
 * older than the 7 days a client may retry within. Rollups and lifetime totals are kept.
 */
@Injectable()
export class UsageRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(UsageRetention.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly database: DatabaseConnection,
    private readonly config: ProjectorConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.prune().finally(() => (this.running = undefined));
    }, EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async prune(): Promise<void> {
    if (!this.database.dataSource.isInitialized) return;
    try {
      const db = this.database.dataSource;
      await db.query(UsageSql.pruneSeconds, [this.config.SECOND_BUCKETS_RETENTION_MINUTES]);
      await db.query(UsageSql.pruneMinutes, [this.config.MINUTE_BUCKETS_RETENTION_HOURS]);
      await db.query(UsageSql.pruneProcessedEvents, [this.config.DEDUPE_RETENTION_HOURS]);
      await db.query(UsageSql.pruneReservations);
    } catch (error) {
      this.logger.warn(`pruning failed, next try in ${EVERY_MS / 1000} s: ${(error as Error).message}`);
    }
  }
}
