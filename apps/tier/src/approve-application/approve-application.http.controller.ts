import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApplicationDecision } from '../access/application-decision';
import { ApplicationParams } from '../http/http-input';
import { ApproveApplicationCommand } from './approve-application.command';
import { ApproveApplicationRequest } from './approve-application.request';
import { Roles } from '@metergate/platform';

@ApiTags('applications')
@Roles('admin')
@Controller('v1/applications/:applicationId/approve')
export class ApproveApplicationHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Approved: the organization is on the full-access tier.' })
  @ApiNotFoundResponse({ description: 'No such application.' })
  @ApiConflictResponse({
    description: 'Already decided, the organization is suspended, or a concurrent change won.',
  })
  approve(
    @Param() { applicationId }: ApplicationParams,
    @Body() body: ApproveApplicationRequest,
  ): Promise<ApplicationDecision> {
    return this.commands.execute(new ApproveApplicationCommand(applicationId, body.reviewer, body.note));
  }
}
