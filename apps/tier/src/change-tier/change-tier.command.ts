import { Command } from '@nestjs/cqrs';
import { AccessSummary } from '../access/access.views';

export class ChangeTierCommand extends Command<AccessSummary> {
  constructor(
    readonly orgId: string,
    readonly tier: string,
    readonly reason: string,
    readonly changedBy: string,
  ) {
    super();
  }
}
