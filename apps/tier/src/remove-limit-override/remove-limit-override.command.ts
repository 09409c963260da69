import { Command } from '@nestjs/cqrs';
import { AccessSummary } from '../access/access.views';

export class RemoveLimitOverrideCommand extends Command<AccessSummary> {
  constructor(
    readonly orgId: string,
    readonly endpoint: string,
    readonly removedBy: string,
  ) {
    super();
  }
}
