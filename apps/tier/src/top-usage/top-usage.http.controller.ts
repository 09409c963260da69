import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '@metergate/platform';
import { toCsv, wantsCsv } from '../usage-queries/csv';
import { badRange } from '../usage-queries/range-problem';
import { TopUsageRequest } from '../usage-queries/usage-queries.request';
import { topRange } from '../usage-queries/usage-range';
import { TopMetric, UsageReader } from '../usage-queries/usage-reader';

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

@ApiTags('usage')
@Roles('analyst')
@Controller('v1/usage/top')
export class TopUsageHttpController {
  constructor(private readonly reader: UsageReader) {}

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
    const metric = query.metric ?? 'calls';
    const rows = await this.reader.top(resolved.range, query.endpoint, metric, query.limit ?? 10);
    const organizations = rows.map((row) => ({
      orgId: row.org_id,
      calls: row.calls,
      inputChars: row.input_chars,
      outputChars: row.output_chars,
      chars: row.input_chars + row.output_chars,
    }));
    if (wantsCsv(accept)) {
      response.type('text/csv; charset=utf-8');
      return toCsv<TopOrganization>(['orgId', 'calls', 'inputChars', 'outputChars', 'chars'], organizations);
    }
    return {
      metric,
      from: resolved.range.from.toISOString(),
      to: resolved.range.to.toISOString(),
      ...(query.endpoint !== undefined && { endpoint: query.endpoint }),
      organizations,
    };
  }
}
