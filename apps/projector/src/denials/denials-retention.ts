import { Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { DataSource } from 'typeorm';
import { ProjectorConfig } from '../projector.config';
import { PeriodicPruning } from '../retention/periodic-pruning';
import { DenialsSql } from './denials.sql';

/** Drops denial counts older than DENIALS_RETENTION_DAYS, hourly: the analysts' queries read no further. */
@Injectable()
export class DenialsRetention extends PeriodicPruning {
  constructor(
    database: DatabaseConnection,
    private readonly config: ProjectorConfig,
  ) {
    super(database, 60 * 60_000, 'denials');
  }

  protected async pruneWith(db: DataSource): Promise<void> {
    await this.deleteAged(db, DenialsSql.prune, [this.config.DENIALS_RETENTION_DAYS]);
  }
}
