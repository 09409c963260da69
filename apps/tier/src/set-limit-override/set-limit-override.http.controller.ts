import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessSummary } from '../access/access.views';
import { ACTOR_HEADER, Actor, OrgParams } from '../http/http-input';
import { SetLimitOverrideCommand } from './set-limit-override.command';
import { SetLimitOverrideRequest, requestedOverride } from './set-limit-override.request';
import { Roles } from '@metergate/platform';

@ApiTags('organizations')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'The admin making the change.' })
@Roles('admin')
@Controller('v1/orgs/:orgId/limits')
export class SetLimitOverrideHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Put()
  @ApiOkResponse({ description: "The organization's override for that endpoint is replaced as a whole." })
  @ApiBadRequestResponse({
    description:
      'Unknown endpoint or model, a bad unit, window or cap, two entries for one unit, window and model, ' +
      'or no limit at all; problems[].field names it (e.g. limits[1].window).',
  })
  set(
    @Param() { orgId }: OrgParams,
    @Body() body: SetLimitOverrideRequest,
    @Actor() actor: string,
  ): Promise<AccessSummary> {
    return this.commands.execute(
      new SetLimitOverrideCommand(orgId, body.endpoint, requestedOverride(body), actor),
    );
  }
}
