import { Command } from '@nestjs/cqrs';
import { ApiKeyPurpose } from '@metergate/policy';

/** The one answer that holds the key itself: shown once, stored nowhere. */
export interface IssuedApiKey {
  keyId: string;
  key: string;
  prefix: string;
  purpose: ApiKeyPurpose;
  name: string;
  createdAt: string;
}

export class IssueApiKeyCommand extends Command<IssuedApiKey> {
  constructor(
    readonly orgId: string,
    readonly purpose: ApiKeyPurpose,
    readonly name: string,
    readonly issuedBy: string,
    readonly reason?: string,
  ) {
    super();
  }
}
