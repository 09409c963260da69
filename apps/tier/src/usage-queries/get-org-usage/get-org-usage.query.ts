import { Query } from '@nestjs/cqrs';
import { SeriesDimension } from '../usage-queries.sql';
import { Granularity, TimeRange } from '../usage-range';

export interface UsagePoint {
  bucket: string;
  endpoint?: string;
  userId?: string | null;
  model?: string | null;
  keyId?: string | null;
  calls: number;
  inputChars: number;
  outputChars: number;
}

export interface UsageSeries {
  orgId: string;
  granularity: Granularity;
  series: UsagePoint[];
}

/** One organization's usage per bucket in a resolved range, optionally for one endpoint or grouped. */
export class GetOrgUsageQuery extends Query<UsageSeries> {
  constructor(
    readonly orgId: string,
    readonly granularity: Granularity,
    readonly range: TimeRange,
    readonly endpoint: string | undefined,
    readonly groupBy: SeriesDimension | undefined,
  ) {
    super();
  }
}
