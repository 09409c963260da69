import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { findApiKey } from '@metergate/policy';
import { AccessCommands } from '../access/access-commands';
import { ApiKeyView, toApiKeyView } from '../access/access.views';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId, keyId, revokedBy, reason }: RevokeApiKeyCommand): Promise<ApiKeyView> {
    const after = await this.access.execute(orgId, {
      type: 'RevokeApiKey',
      keyId,
      revokedBy,
      ...(reason !== undefined && { reason }),
    });
    return toApiKeyView(findApiKey(after, keyId)!);
  }
}
