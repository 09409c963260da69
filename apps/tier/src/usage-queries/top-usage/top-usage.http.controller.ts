import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '@metergate/platform';
import { toCsv, wantsCsv } from '../csv';
import { badRange } from '../range-problem';
import { topRange } from '../usage-range';
import { TopOrganization, TopUsage, TopUsageQuery } from './top-usage.query';
import { TopUsageRequest } from './top-usage.request';

@ApiTags('usage')
@Roles('analyst')
@Controller('v1/usage/top')
export class TopUsageHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'The organizations with the most calls or characters (input + output) in hourly buckets that start in ' +
      '[from, to), most first (ties by orgId). Accept: text/csv gives the organizations as CSV.',
  })
  async top(
    @Query() query: TopUsageRequest,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<TopUsage | string> {
    const resolved = topRange(query.from, query.to, new Date());
    if ('problems' in resolved) throw badRange(resolved.problems, resolved.maxRange);
    const top = await this.queries.execute(
      new TopUsageQuery(resolved.range, query.endpoint, query.metric ?? 'calls', query.limit ?? 10),
    );
    if (wantsCsv(accept)) {
      response.type('text/csv; charset=utf-8');
      return toCsv<TopOrganization>(
        ['orgId', 'calls', 'inputChars', 'outputChars', 'chars'],
        top.organizations,
      );
    }
    return top;
  }
}
