import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { OrgParams } from '../http/http-input';
import { SubmitFullAccessApplicationCommand } from './submit-full-access-application.command';
import { SubmitFullAccessApplicationRequest } from './submit-full-access-application.request';
import { Roles } from '@metergate/platform';

@ApiTags('applications')
@Roles('service')
@Controller('v1/orgs/:orgId/applications')
export class SubmitFullAccessApplicationHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ description: 'The application is pending review.' })
  @ApiConflictResponse({ description: 'Not on trial, suspended, or an application is already pending.' })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid; the response names it.' })
  async submit(
    @Param() { orgId }: OrgParams,
    @Body() body: SubmitFullAccessApplicationRequest,
  ): Promise<{ applicationId: string; status: 'pending' }> {
    const submitted = await this.commands.execute(
      new SubmitFullAccessApplicationCommand(
        orgId,
        body.useCase,
        body.intendedUse,
        body.risks,
        body.commitment,
        body.submittedBy,
      ),
    );
    return { applicationId: submitted.applicationId, status: submitted.status };
  }
}
