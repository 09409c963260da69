import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { OrganizationView, toOrganizationView } from '../access/access.views';
import { GetOrganizationAccessQuery } from './get-organization-access.query';

@QueryHandler(GetOrganizationAccessQuery)
export class GetOrganizationAccessHandler implements IQueryHandler<GetOrganizationAccessQuery> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId }: GetOrganizationAccessQuery): Promise<OrganizationView> {
    return toOrganizationView(await this.access.history(orgId));
  }
}
