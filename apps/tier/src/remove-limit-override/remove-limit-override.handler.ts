import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { AccessSummary, toAccessSummary } from '../access/access.views';
import { RemoveLimitOverrideCommand } from './remove-limit-override.command';

@CommandHandler(RemoveLimitOverrideCommand)
export class RemoveLimitOverrideHandler implements ICommandHandler<RemoveLimitOverrideCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId, endpoint, removedBy }: RemoveLimitOverrideCommand): Promise<AccessSummary> {
    return toAccessSummary(
      await this.access.execute(orgId, { type: 'RemoveLimitOverride', endpoint, removedBy }),
    );
  }
}
