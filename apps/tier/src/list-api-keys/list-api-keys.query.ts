import { Query } from '@nestjs/cqrs';
import { ApiKeyView } from '../access/access.views';

/** Every key issued to the organization, revoked ones included, oldest first; no secrets, no digests. */
export class ListApiKeysQuery extends Query<ApiKeyView[]> {
  constructor(readonly orgId: string) {
    super();
  }
}
