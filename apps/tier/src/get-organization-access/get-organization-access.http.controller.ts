import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OrganizationView } from '../access/access.views';
import { NoQuery, OrgParams } from '../http/http-input';
import { GetOrganizationAccessQuery } from './get-organization-access.query';
import { Roles } from '@metergate/platform';

@ApiTags('organizations')
@Roles('analyst')
@Controller('v1/orgs/:orgId')
export class GetOrganizationAccessHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOkResponse({
    description:
      'Tier, status, limit overrides, applications and every event. An organization the tier service never ' +
      'touched is on the default tier, active, at version 0.',
  })
  get(@Param() { orgId }: OrgParams, @NoQuery() _query: void): Promise<OrganizationView> {
    return this.queries.execute(new GetOrganizationAccessQuery(orgId));
  }
}
