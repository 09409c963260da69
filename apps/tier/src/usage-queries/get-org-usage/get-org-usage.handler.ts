import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { UsageProjections } from '../usage-projections';
import { GetOrgUsageQuery, UsagePoint, UsageSeries } from './get-org-usage.query';

@QueryHandler(GetOrgUsageQuery)
export class GetOrgUsageHandler implements IQueryHandler<GetOrgUsageQuery> {
  constructor(private readonly projections: UsageProjections) {}

  async execute({ orgId, granularity, range, endpoint, groupBy }: GetOrgUsageQuery): Promise<UsageSeries> {
    const rows = await this.projections.series(orgId, granularity, range, endpoint, groupBy);
    const series = rows.map((row): UsagePoint => ({
      bucket: row.bucket.toISOString(),
      ...(groupBy === 'endpoint' && { endpoint: row.key }),
      ...(groupBy !== 'endpoint' && endpoint !== undefined && { endpoint }),
      ...(groupBy === 'user' && { userId: row.key || null }),
      ...(groupBy === 'model' && { model: row.key || null }),
      ...(groupBy === 'key' && { keyId: row.key || null }),
      calls: row.calls,
      inputChars: row.input_chars,
      outputChars: row.output_chars,
    }));
    return { orgId, granularity, series };
  }
}
