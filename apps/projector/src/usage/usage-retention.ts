import { Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { DataSource } from 'typeorm';
import { ProjectorConfig } from '../projector.config';
import { PeriodicPruning } from '../retention/periodic-pruning';
import { UsageSql } from './usage.sql';

/**
 * Drops window buckets older than any window reads (a minute, a day) plus a margin, and dedupe marks
 * older than the 7 days a client may retry within, every minute. Rollups and lifetime totals are kept.
 */
@Injectable()
export class UsageRetention extends PeriodicPruning {
  constructor(
    database: DatabaseConnection,
    private readonly config: ProjectorConfig,
  ) {
    super(database, 60_000, 'usage');
  }

  protected async pruneWith(db: DataSource): Promise<void> {
    await this.deleteAged(db, UsageSql.pruneSeconds, [this.config.SECOND_BUCKETS_RETENTION_MINUTES]);
    await this.deleteAged(db, UsageSql.pruneMinutes, [this.config.MINUTE_BUCKETS_RETENTION_HOURS]);
    await this.deleteAged(db, UsageSql.pruneProcessedEvents, [this.config.DEDUPE_RETENTION_HOURS]);
    // Reservations more than an hour past their end.
    await this.deleteAged(db, UsageSql.pruneReservations, [1]);
  }
}
