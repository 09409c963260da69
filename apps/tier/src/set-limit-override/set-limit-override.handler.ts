import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { AccessSummary, toAccessSummary } from '../access/access.views';
import { SetLimitOverrideCommand } from './set-limit-override.command';

@CommandHandler(SetLimitOverrideCommand)
export class SetLimitOverrideHandler implements ICommandHandler<SetLimitOverrideCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId, endpoint, override, setBy }: SetLimitOverrideCommand): Promise<AccessSummary> {
    return toAccessSummary(
      await this.access.execute(orgId, { type: 'SetLimitOverride', endpoint, override, setBy }),
    );
  }
}
