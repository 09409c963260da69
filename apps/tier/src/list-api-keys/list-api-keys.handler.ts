import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { ApiKeyView, toApiKeyView } from '../access/access.views';
import { ListApiKeysQuery } from './list-api-keys.query';

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId }: ListApiKeysQuery): Promise<ApiKeyView[]> {
    return (await this.access.history(orgId)).state.apiKeys.map(toApiKeyView);
  }
}
