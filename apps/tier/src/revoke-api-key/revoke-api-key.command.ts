import { Command } from '@nestjs/cqrs';
import { ApiKeyView } from '../access/access.views';

export class RevokeApiKeyCommand extends Command<ApiKeyView> {
  constructor(
    readonly orgId: string,
    readonly keyId: string,
    readonly revokedBy: string,
    readonly reason?: string,
  ) {
    super();
  }
}
