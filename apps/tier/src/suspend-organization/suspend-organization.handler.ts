import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { AccessSummary, toAccessSummary } from '../access/access.views';
import { SuspendOrganizationCommand } from './suspend-organization.command';

@CommandHandler(SuspendOrganizationCommand)
export class SuspendOrganizationHandler implements ICommandHandler<SuspendOrganizationCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId, reason, suspendedBy }: SuspendOrganizationCommand): Promise<AccessSummary> {
    return toAccessSummary(
      await this.access.execute(orgId, { type: 'SuspendOrganization', reason, suspendedBy }),
    );
  }
}
