import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApplicationDecision } from '../access/application-decision';
import { ApplicationParams } from '../http/http-input';
import { RejectApplicationCommand } from './reject-application.command';
import { RejectApplicationRequest } from './reject-application.request';
import { Roles } from '@metergate/platform';

@ApiTags('applications')
@Roles('admin')
@Controller('v1/applications/:applicationId/reject')
export class RejectApplicationHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Rejected; the organization may apply again.' })
  @ApiNotFoundResponse({ description: 'No such application.' })
  @ApiConflictResponse({ description: 'Already decided, or a concurrent change won.' })
  reject(
    @Param() { applicationId }: ApplicationParams,
    @Body() body: RejectApplicationRequest,
  ): Promise<ApplicationDecision> {
    return this.commands.execute(new RejectApplicationCommand(applicationId, body.reviewer, body.reason));
  }
}
