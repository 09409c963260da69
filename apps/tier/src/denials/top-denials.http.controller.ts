import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '@metergate/platform';
import { toCsv, wantsCsv } from '../usage-queries/csv';
import { badRange } from '../usage-queries/range-problem';
import { topDenialsRange } from './denials-range';
import { DenialsReader } from './denials-reader';
import { TopDenialsRequest } from './denials.request';
import { DeniedOrganization, deniedOrganizations, reasonColumns } from './top-denials';

export interface TopDenials {
  from: string;
  to: string;
  reason?: string;
  organizations: DeniedOrganization[];
}

@ApiTags('denials')
@Roles('analyst')
@Controller('v1/denials')
export class TopDenialsHttpController {
  constructor(private readonly reader: DenialsReader) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'The organizations the decision API denied most in minutes that start in [from, to), most first ' +
      '(ties by orgId), each with its total and its denials per reason. Accept: text/csv gives one row ' +
      'per organization, with a column per reason.',
  })
  async top(
    @Query() query: TopDenialsRequest,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<TopDenials | string> {
    const resolved = topDenialsRange(query.from, query.to, new Date());
    if ('problems' in resolved) throw badRange(resolved.problems, resolved.maxRange);
    const organizations = deniedOrganizations(
      await this.reader.top(resolved.range, query.reason, query.limit ?? 10),
    );
    if (wantsCsv(accept)) {
      response.type('text/csv; charset=utf-8');
      const reasons = reasonColumns(organizations, query.reason);
      const rows = organizations.map((org) => ({
        ...Object.fromEntries(reasons.map((reason) => [reason, org.byReason[reason] ?? 0])),
        orgId: org.orgId,
        total: org.total,
      }));
      return toCsv<Record<string, string | number>>(['orgId', 'total', ...reasons], rows);
    }
    return {
      from: resolved.range.from.toISOString(),
      to: resolved.range.to.toISOString(),
      ...(query.reason !== undefined && { reason: query.reason }),
      organizations,
    };
  }
}
