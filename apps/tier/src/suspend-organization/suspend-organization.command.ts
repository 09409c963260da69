import { Command } from '@nestjs/cqrs';
import { AccessSummary } from '../access/access.views';

export class SuspendOrganizationCommand extends Command<AccessSummary> {
  constructor(
    readonly orgId: string,
    readonly reason: string,
    readonly suspendedBy: string,
  ) {
    super();
  }
}
