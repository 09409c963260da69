import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles, invalidInput } from '@metergate/platform';
import { OrgParams } from '../../http/http-input';
import { toCsv, wantsCsv } from '../csv';
import { badRange } from '../range-problem';
import { seriesRange } from '../usage-range';
import { GetOrgUsageQuery, UsagePoint, UsageSeries } from './get-org-usage.query';
import { UsageSeriesRequest } from './get-org-usage.request';

@ApiTags('usage')
@Roles('analyst')
@Controller('v1/orgs/:orgId/usage')
export class GetOrgUsageHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'Calls and characters per bucket that starts in [from, to), from the projections; buckets without ' +
      'usage are left out. endpoint is set when grouped by endpoint or filtered on one; userId, model and ' +
      'keyId when grouped by them (null: the call named none). groupBy=key needs granularity hour or ' +
      'day. Accept: text/csv gives the same rows as CSV.',
  })
  async get(
    @Param() { orgId }: OrgParams,
    @Query() query: UsageSeriesRequest,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<UsageSeries | string> {
    const granularity = query.granularity ?? 'hour';
    if (granularity === 'minute' && query.groupBy === 'key') {
      // Per-minute buckets are kept for rate windows and carry no API key; the rollups do.
      throw invalidInput([{ field: 'groupBy', message: 'groupBy=key needs granularity hour or day' }]);
    }
    const resolved = seriesRange(query.from, query.to, granularity, new Date());
    if ('problems' in resolved) throw badRange(resolved.problems, resolved.maxRange);

    const usage = await this.queries.execute(
      new GetOrgUsageQuery(orgId, granularity, resolved.range, query.endpoint, query.groupBy),
    );
    if (!wantsCsv(accept)) return usage;

    response.type('text/csv; charset=utf-8');
    const columns: (keyof UsagePoint)[] = ['bucket'];
    if (query.groupBy === 'endpoint' || query.endpoint !== undefined) columns.push('endpoint');
    if (query.groupBy === 'user') columns.push('userId');
    if (query.groupBy === 'model') columns.push('model');
    if (query.groupBy === 'key') columns.push('keyId');
    columns.push('calls', 'inputChars', 'outputChars');
    return toCsv(columns, usage.series);
  }
}
