import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApplicationListing, ListApplicationsQuery } from './list-applications.query';
import { ListApplicationsRequest } from './list-applications.request';
import { Roles } from '@metergate/platform';

@ApiTags('applications')
@Roles('analyst')
@Controller('v1/applications')
export class ListApplicationsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOkResponse({ description: 'Applications in that status, oldest first (the review queue for pending).' })
  async list(@Query() query: ListApplicationsRequest): Promise<{ applications: ApplicationListing[] }> {
    const applications = await this.queries.execute(
      new ListApplicationsQuery(query.status ?? 'pending', query.limit ?? 100),
    );
    return { applications };
  }
}
