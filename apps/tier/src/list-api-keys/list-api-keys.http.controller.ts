import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@metergate/platform';
import { ApiKeyView } from '../access/access.views';
import { NoQuery, OrgParams } from '../http/http-input';
import { ListApiKeysQuery } from './list-api-keys.query';

@ApiTags('keys')
@Roles('analyst')
@Controller('v1/orgs/:orgId/keys')
export class ListApiKeysHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOkResponse({
    description:
      'Every key issued to the organization, oldest first, revoked ones with revokedAt: prefix, purpose, name ' +
      'and who made it; never the key or its digest.',
  })
  async list(
    @Param() { orgId }: OrgParams,
    @NoQuery() _query: void,
  ): Promise<{ orgId: string; keys: ApiKeyView[] }> {
    return { orgId, keys: await this.queries.execute(new ListApiKeysQuery(orgId)) };
  }
}
