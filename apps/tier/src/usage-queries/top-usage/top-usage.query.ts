import { Query } from '@nestjs/cqrs';
import { TopMetric } from '../usage-projections';
import { TimeRange } from '../usage-range';

export interface TopOrganization {
  orgId: string;
  calls: number;
  inputChars: number;
  outputChars: number;
  chars: number;
}

export interface TopUsage {
  metric: TopMetric;
  from: string;
  to: string;
  endpoint?: string;
  organizations: TopOrganization[];
}

/** The organizations with the most calls or characters in a resolved range, most first. */
export class TopUsageQuery extends Query<TopUsage> {
  constructor(
    readonly range: TimeRange,
    readonly endpoint: string | undefined,
    readonly metric: TopMetric,
    readonly limit: number,
  ) {
    super();
  }
}
