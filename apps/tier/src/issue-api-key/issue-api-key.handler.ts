import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { findApiKey } from '@metergate/policy';
import { AccessCommands } from '../access/access-commands';
import { ApiKeyGenerator } from '../access/api-key-generator';
import { IssueApiKeyCommand, IssuedApiKey } from './issue-api-key.command';

@CommandHandler(IssueApiKeyCommand)
export class IssueApiKeyHandler implements ICommandHandler<IssueApiKeyCommand> {
  constructor(
    private readonly access: AccessCommands,
    private readonly keys: ApiKeyGenerator,
  ) {}

  async execute({ orgId, purpose, name, issuedBy, reason }: IssueApiKeyCommand): Promise<IssuedApiKey> {
    const keyId = this.access.newId();
    const key = this.keys.newKey(purpose);
    const after = await this.access.execute(orgId, {
      type: 'IssueApiKey',
      keyId,
      key,
      purpose,
      name,
      issuedBy,
      ...(reason !== undefined && { reason }),
    });
    const issued = findApiKey(after, keyId)!;
    return { keyId, key, prefix: issued.prefix, purpose, name, createdAt: issued.createdAt };
  }
}
