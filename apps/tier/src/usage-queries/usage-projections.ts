import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StoreUnavailableError } from '../access/access-store.errors';
import { SeriesDimension, UsageQueriesSql, seriesSql } from './usage-queries.sql';
import { Granularity, TimeRange } from './usage-range';

export interface SeriesRow {
  bucket: Date;
  key: string;
  calls: number;
  input_chars: number;
  output_chars: number;
}

export interface TopRow {
  org_id: string;
  calls: number;
  input_chars: number;
  output_chars: number;
}

export type TopMetric = 'calls' | 'chars';

/** The projector's tables as the analysts' query handlers read them; nothing here writes. */
@Injectable()
export class UsageProjections {
  constructor(private readonly dataSource: DataSource) {}

  series(
    orgId: string,
    granularity: Granularity,
    range: TimeRange,
    endpoint: string | undefined,
    dimension: SeriesDimension | undefined,
  ): Promise<SeriesRow[]> {
    return this.query(seriesSql(granularity, dimension), [orgId, range.from, range.to, endpoint ?? null]);
  }

  async access(orgId: string): Promise<{ tier: string; status: 'active' | 'suspended' } | undefined> {
    const [row] = await this.query<{ tier: string; status: 'active' | 'suspended' }>(UsageQueriesSql.access, [
      orgId,
    ]);
    return row;
  }

  lifetimeChars(orgId: string): Promise<{ endpoint: string; chars: number }[]> {
    return this.query(UsageQueriesSql.lifetimeChars, [orgId]);
  }

  top(range: TimeRange, endpoint: string | undefined, metric: TopMetric, limit: number): Promise<TopRow[]> {
    return this.query(UsageQueriesSql.top, [range.from, range.to, endpoint ?? null, metric, limit]);
  }

  private async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    if (!this.dataSource.isInitialized) throw new StoreUnavailableError();
    return this.dataSource.query<T[]>(sql, parameters);
  }
}
