import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { ApplicationDecision, toApplicationDecision } from '../access/application-decision';
import { ApproveApplicationCommand } from './approve-application.command';

@CommandHandler(ApproveApplicationCommand)
export class ApproveApplicationHandler implements ICommandHandler<ApproveApplicationCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ applicationId, reviewer, note }: ApproveApplicationCommand): Promise<ApplicationDecision> {
    const orgId = await this.access.orgOfApplication(applicationId);
    const after = await this.access.execute(orgId, {
      type: 'ApproveApplication',
      applicationId,
      reviewer,
      ...(note !== undefined && { note }),
    });
    return toApplicationDecision(after, applicationId);
  }
}
