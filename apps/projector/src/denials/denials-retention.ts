import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { ProjectorConfig } from '../projector.config';
import { DenialsSql } from './denials.sql';

const EVERY_MS = 60 * 60_000;

/** Drops denial counts older than DENIALS_RETENTION_DAYS, hourly: the analysts' queries read no further. */
@Injectable()
export class DenialsRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DenialsRetention.name);
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
      await this.database.dataSource.query(DenialsSql.prune, [this.config.DENIALS_RETENTION_DAYS]);
    } catch (error) {
      this.logger.warn(`pruning denials failed, next try in an hour: ${(error as Error).message}`);
    }
  }
}
