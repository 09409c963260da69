import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '@metergate/platform';
import { OrgParams } from '../http/http-input';
import { toCsv, wantsCsv } from '../usage-queries/csv';
import { badRange } from '../usage-queries/range-problem';
import { orgDenialsRange } from './denials-range';
import { DenialsReader } from './denials-reader';
import { OrgDenialsRequest } from './denials.request';

export interface DenialPoint {
  minute: string;
  reason: string;
  count: number;
}

export interface OrgDenials {
  orgId: string;
  from: string;
  to: string;
  series: DenialPoint[];
}

@ApiTags('denials')
@Roles('analyst')
@Controller('v1/orgs/:orgId/denials')
export class GetOrgDenialsHttpController {
  constructor(private readonly reader: DenialsReader) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      "The organization's denials per minute (starting in [from, to)) and reason, summed over the " +
      'decision replicas; minutes without denials are left out. Accept: text/csv gives the same rows.',
  })
  async get(
    @Param() { orgId }: OrgParams,
    @Query() query: OrgDenialsRequest,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<OrgDenials | string> {
    const resolved = orgDenialsRange(query.from, query.to, new Date());
    if ('problems' in resolved) throw badRange(resolved.problems, resolved.maxRange);
    const rows = await this.reader.perMinute(orgId, resolved.range);
    const series = rows.map((row) => ({
      minute: row.minute.toISOString(),
      reason: row.reason,
      count: row.count,
    }));
    if (wantsCsv(accept)) {
      response.type('text/csv; charset=utf-8');
      return toCsv<DenialPoint>(['minute', 'reason', 'count'], series);
    }
    return {
      orgId,
      from: resolved.range.from.toISOString(),
      to: resolved.range.to.toISOString(),
      series,
    };
  }
}
