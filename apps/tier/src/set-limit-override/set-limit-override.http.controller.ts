import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LimitOverride } from '@metergate/policy';
import { AccessSummary } from '../access/access.views';
import { ACTOR_HEADER, Actor, OrgParams } from '../http/http-input';
import { SetLimitOverrideCommand } from './set-limit-override.command';
import { SetLimitOverrideRequest } from './set-limit-override.request';
import { Roles } from '@metergate/platform';

@ApiTags('organizations')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'The admin making the change.' })
@Roles('admin')
@Controller('v1/orgs/:orgId/limits')
export class SetLimitOverrideHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Put()
  @ApiOkResponse({ description: "The organization's limits for that endpoint are replaced." })
  @ApiBadRequestResponse({ description: 'Unknown endpoint, a bad cap, or neither perMinute nor perDay.' })
  set(
    @Param() { orgId }: OrgParams,
    @Body() body: SetLimitOverrideRequest,
    @Actor() actor: string,
  ): Promise<AccessSummary> {
    const override: LimitOverride = {};
    if (body.perMinute !== undefined) override.perMinute = body.perMinute;
    if (body.perDay !== undefined) override.perDay = body.perDay;
    return this.commands.execute(new SetLimitOverrideCommand(orgId, body.endpoint, override, actor));
  }
}
