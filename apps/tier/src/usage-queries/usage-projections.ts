import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LimitOverride } from '@metergate/policy';
import { StoreUnavailableError } from '../access/access-store.errors';
import { OrgAccessRow, UsageTotals } from './get-org-quota/org-quota';
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

  async access(orgId: string): Promise<OrgAccessRow | undefined> {
    const [row] = await this.query<{
      tier: string;
      status: 'active' | 'suspended';
      limit_overrides: Record<string, LimitOverride>;
    }>(UsageQueriesSql.access, [orgId]);
    return row && { tier: row.tier, status: row.status, limitOverrides: row.limit_overrides };
  }

  lifetimeTotals(orgId: string): Promise<UsageTotals[]> {
    return this.query(UsageQueriesSql.lifetimeTotals, [orgId]);
  }

  /** Per endpoint and model since `since` (a day's start), or over every day kept when null. */
  dailyTotals(orgId: string, since: Date | null): Promise<UsageTotals[]> {
    return this.query(UsageQueriesSql.dailyTotals, [orgId, since]);
  }

  openReservations(orgId: string): Promise<UsageTotals[]> {
    return this.query(UsageQueriesSql.openReservations, [orgId]);
  }

  top(range: TimeRange, endpoint: string | undefined, metric: TopMetric, limit: number): Promise<TopRow[]> {
    return this.query(UsageQueriesSql.top, [range.from, range.to, endpoint ?? null, metric, limit]);
  }

  private async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    if (!this.dataSource.isInitialized) throw new StoreUnavailableError();
    return this.dataSource.query<T[]>(sql, parameters);
  }
}
