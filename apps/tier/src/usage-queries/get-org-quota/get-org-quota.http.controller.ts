import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@metergate/platform';
import { NoQuery, OrgParams } from '../../http/http-input';
import { GetOrgQuotaQuery } from './get-org-quota.query';
import { OrgQuota } from './org-quota';

@ApiTags('usage')
@Roles('analyst')
@Controller('v1/orgs/:orgId/quota')
export class GetOrgQuotaHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOkResponse({
    description:
      "The organization's tier and status, and each of its quotas (its tier's lifetime and calendar-month " +
      'limits, with its overrides applied): limit, used (calls, or input and output characters, as ' +
      'projected; a month counts from its first day in UTC), reserved (characters held by open ' +
      'reservations of the covered endpoints and models), remaining (net of reservations) and exhausted.',
  })
  get(@Param() { orgId }: OrgParams, @NoQuery() _query: void): Promise<OrgQuota> {
    return this.queries.execute(new GetOrgQuotaQuery(orgId));
  }
}
