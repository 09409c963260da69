import { Controller, Delete, Param, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@metergate/platform';
import { ApiKeyView } from '../access/access.views';
import { ACTOR_HEADER, Actor } from '../http/http-input';
import { RevokeApiKeyCommand } from './revoke-api-key.command';
import { OrgKeyParams, RevokeApiKeyRequest } from './revoke-api-key.request';

@ApiTags('keys')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'Who revokes the key.' })
@Roles('service')
@Controller('v1/orgs/:orgId/keys/:keyId')
export class RevokeApiKeyHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Delete()
  @ApiOkResponse({ description: 'The key is revoked: the decision API refuses it from now on.' })
  @ApiNotFoundResponse({ description: 'The organization has no such key.' })
  @ApiConflictResponse({ description: 'The key was already revoked, or a concurrent change won.' })
  revoke(
    @Param() { orgId, keyId }: OrgKeyParams,
    @Query() query: RevokeApiKeyRequest,
    @Actor() actor: string,
  ): Promise<ApiKeyView> {
    return this.commands.execute(new RevokeApiKeyCommand(orgId, keyId, actor, query.reason));
  }
}
