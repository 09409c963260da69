import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StoreUnavailableError } from '../access/access-store.errors';
import { TimeRange } from '../usage-queries/usage-range';
import { DenialsQueriesSql } from './denials.sql';

/** One organization's count for one reason, beside its total: rows of the top query. */
export interface TopDenialRow {
  org_id: string;
  total: number;
  reason: string;
  count: number;
}

export interface MinuteDenialRow {
  minute: Date;
  reason: string;
  count: number;
}

/** Reads the projector's denials_by_minute; nothing here writes. */
@Injectable()
export class DenialsReader {
  constructor(private readonly dataSource: DataSource) {}

  top(range: TimeRange, reason: string | undefined, limit: number): Promise<TopDenialRow[]> {
    return this.query(DenialsQueriesSql.top, [range.from, range.to, reason ?? null, limit]);
  }

  perMinute(orgId: string, range: TimeRange): Promise<MinuteDenialRow[]> {
    return this.query(DenialsQueriesSql.perMinute, [orgId, range.from, range.to]);
  }

  private async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    if (!this.dataSource.isInitialized) throw new StoreUnavailableError();
    return this.dataSource.query<T[]>(sql, parameters);
  }
}
