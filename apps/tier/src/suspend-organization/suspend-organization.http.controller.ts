import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessSummary } from '../access/access.views';
import { ACTOR_HEADER, Actor, OrgParams } from '../http/http-input';
import { SuspendOrganizationCommand } from './suspend-organization.command';
import { SuspendOrganizationRequest } from './suspend-organization.request';
import { Roles } from '@metergate/platform';

@ApiTags('organizations')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'The admin making the change.' })
@Roles('admin')
@Controller('v1/orgs/:orgId/suspend')
export class SuspendOrganizationHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'The organization is suspended.' })
  @ApiConflictResponse({ description: 'Already suspended, or a concurrent change won.' })
  suspend(
    @Param() { orgId }: OrgParams,
    @Body() body: SuspendOrganizationRequest,
    @Actor() actor: string,
  ): Promise<AccessSummary> {
    return this.commands.execute(new SuspendOrganizationCommand(orgId, body.reason, actor));
  }
}
