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
      "The organization's tier and status, and for each quota of its tier: limit, used, remaining, exhausted " +
      '(used counts input and output characters of the covered endpoints, as projected).',
  })
  get(@Param() { orgId }: OrgParams, @NoQuery() _query: void): Promise<OrgQuota> {
    return this.queries.execute(new GetOrgQuotaQuery(orgId));
  }
}
