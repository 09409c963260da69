import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { AccessSummary, toAccessSummary } from '../access/access.views';
import { ChangeTierCommand } from './change-tier.command';

@CommandHandler(ChangeTierCommand)
export class ChangeTierHandler implements ICommandHandler<ChangeTierCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId, tier, reason, changedBy }: ChangeTierCommand): Promise<AccessSummary> {
    return toAccessSummary(await this.access.execute(orgId, { type: 'ChangeTier', tier, reason, changedBy }));
  }
}
