import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessSummary } from '../access/access.views';
import { ACTOR_HEADER, Actor, OrgParams } from '../http/http-input';
import { ReinstateOrganizationCommand } from './reinstate-organization.command';
import { ReinstateOrganizationRequest } from './reinstate-organization.request';
import { Roles } from '@metergate/platform';

@ApiTags('organizations')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'The admin making the change.' })
@Roles('admin')
@Controller('v1/orgs/:orgId/reinstate')
export class ReinstateOrganizationHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'The organization is active again.' })
  @ApiConflictResponse({ description: 'The organization is not suspended, or a concurrent change won.' })
  reinstate(
    @Param() { orgId }: OrgParams,
    @Body() body: ReinstateOrganizationRequest,
    @Actor() actor: string,
  ): Promise<AccessSummary> {
    return this.commands.execute(new ReinstateOrganizationCommand(orgId, actor, body.reason));
  }
}
