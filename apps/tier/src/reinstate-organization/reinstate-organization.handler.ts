import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { AccessSummary, toAccessSummary } from '../access/access.views';
import { ReinstateOrganizationCommand } from './reinstate-organization.command';

@CommandHandler(ReinstateOrganizationCommand)
export class ReinstateOrganizationHandler implements ICommandHandler<ReinstateOrganizationCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId, reinstatedBy, reason }: ReinstateOrganizationCommand): Promise<AccessSummary> {
    const after = await this.access.execute(orgId, {
      type: 'ReinstateOrganization',
      reinstatedBy,
      ...(reason !== undefined && { reason }),
    });
    return toAccessSummary(after);
  }
}
