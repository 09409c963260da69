import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
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
import { RegisterModelCommand, RegisteredModel } from './register-model.command';
import { RegisterModelRequest } from './register-model.request';

// Service as well as admin: the platform that fine-tunes a model registers it once trained.
@ApiTags('models')
@ApiHeader({ name: ACTOR_HEADER, required: false, description: 'Who registers the model.' })
@Roles('service')
@Controller('v1/orgs/:orgId/models')
export class RegisterModelHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ description: 'The model is registered: usable by this organization alone.' })
  @ApiConflictResponse({
    description:
      'The organization has no full access (building custom models needs it) or is suspended, or the name ' +
      "is one of the policy's shared models or already registered.",
  })
  @ApiBadRequestResponse({ description: 'The name is missing or not a model name.' })
  register(
    @Param() { orgId }: OrgParams,
    @Body() body: RegisterModelRequest,
    @Actor() actor: string,
  ): Promise<RegisteredModel> {
    return this.commands.execute(new RegisterModelCommand(orgId, body.name, actor));
  }
}
