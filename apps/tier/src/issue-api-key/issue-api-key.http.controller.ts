import { Body, Controller, Header, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@metergate/platform';
import { ACTOR_HEADER, Actor, OrgParams } from '../http/http-input';
import { IssueApiKeyCommand, IssuedApiKey } from './issue-api-key.command';
import { IssueApiKeyRequest } from './issue-api-key.request';

@ApiTags('keys')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'Who asks for the key.' })
@Roles('service')
@Controller('v1/orgs/:orgId/keys')
export class IssueApiKeyHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  // The answer holds a secret: no cache on the way may keep it.
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({
    description:
      'The key (`mg_trial_…` or `mg_prod_…`), shown this once: only its SHA-256 digest is stored. Its prefix ' +
      'names it in lists and logs.',
  })
  @ApiConflictResponse({
    description:
      'A production key for an organization without full access, any key for a suspended one, or too many ' +
      'active keys.',
  })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid; the response names it.' })
  issue(
    @Param() { orgId }: OrgParams,
    @Body() body: IssueApiKeyRequest,
    @Actor() actor: string,
  ): Promise<IssuedApiKey> {
    return this.commands.execute(new IssueApiKeyCommand(orgId, body.purpose, body.name, actor, body.reason));
  }
}
