import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { AccessSummary } from '../access/access.views';
import { ACTOR_HEADER, Actor, OrgParams } from '../http/http-input';
import { RemoveLimitOverrideCommand } from './remove-limit-override.command';
import { Roles } from '@metergate/platform';

export class OrgEndpointParams extends OrgParams {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  endpoint!: string;
}

@ApiTags('organizations')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'The admin making the change.' })
@Roles('admin')
@Controller('v1/orgs/:orgId/limits/:endpoint')
export class RemoveLimitOverrideHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Delete()
  @ApiOkResponse({ description: 'The tier’s limits apply again for that endpoint.' })
  @ApiNotFoundResponse({ description: 'The organization has no override for that endpoint.' })
  remove(@Param() { orgId, endpoint }: OrgEndpointParams, @Actor() actor: string): Promise<AccessSummary> {
    return this.commands.execute(new RemoveLimitOverrideCommand(orgId, endpoint, actor));
  }
}
