import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { UsageProjections } from '../usage-projections';
import { TopUsage, TopUsageQuery } from './top-usage.query';

@QueryHandler(TopUsageQuery)
export class TopUsageHandler implements IQueryHandler<TopUsageQuery> {
  constructor(private readonly projections: UsageProjections) {}

  async execute({ range, endpoint, metric, limit }: TopUsageQuery): Promise<TopUsage> {
    const rows = await this.projections.top(range, endpoint, metric, limit);
    return {
      metric,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      ...(endpoint !== undefined && { endpoint }),
      organizations: rows.map((row) => ({
        orgId: row.org_id,
        calls: row.calls,
        inputChars: row.input_chars,
        outputChars: row.output_chars,
        chars: row.input_chars + row.output_chars,
      })),
    };
  }
}
