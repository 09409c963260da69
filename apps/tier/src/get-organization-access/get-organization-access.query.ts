import { Query } from '@nestjs/cqrs';
import { OrganizationView } from '../access/access.views';

/** An organization's access rebuilt from its events, with its applications and full history. */
export class GetOrganizationAccessQuery extends Query<OrganizationView> {
  constructor(readonly orgId: string) {
    super();
  }
}
