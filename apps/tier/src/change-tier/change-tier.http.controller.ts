import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AccessSummary } from '../access/access.views';
import { ACTOR_HEADER, Actor, OrgParams } from '../http/http-input';
import { ChangeTierCommand } from './change-tier.command';
import { ChangeTierRequest } from './change-tier.request';
import { Roles } from '@metergate/platform';

@ApiTags('organizations')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'The admin making the change.' })
@Roles('admin')
@Controller('v1/orgs/:orgId/tier')
export class ChangeTierHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Put()
  @ApiOkResponse({ description: 'The organization is on the new tier.' })
  @ApiBadRequestResponse({ description: 'The policy defines no such tier.' })
  @ApiConflictResponse({ description: 'Already on that tier, or a concurrent change won.' })
  change(
    @Param() { orgId }: OrgParams,
    @Body() body: ChangeTierRequest,
    @Actor() actor: string,
  ): Promise<AccessSummary> {
    return this.commands.execute(new ChangeTierCommand(orgId, body.tier, body.reason, actor));
  }
}
