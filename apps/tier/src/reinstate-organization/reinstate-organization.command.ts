import { Command } from '@nestjs/cqrs';
import { AccessSummary } from '../access/access.views';

export class ReinstateOrganizationCommand extends Command<AccessSummary> {
  constructor(
    readonly orgId: string,
    readonly reinstatedBy: string,
    readonly reason?: string,
  ) {
    super();
  }
}
