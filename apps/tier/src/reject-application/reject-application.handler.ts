import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { ApplicationDecision, toApplicationDecision } from '../access/application-decision';
import { RejectApplicationCommand } from './reject-application.command';

@CommandHandler(RejectApplicationCommand)
export class RejectApplicationHandler implements ICommandHandler<RejectApplicationCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ applicationId, reviewer, reason }: RejectApplicationCommand): Promise<ApplicationDecision> {
    const orgId = await this.access.orgOfApplication(applicationId);
    const after = await this.access.execute(orgId, {
      type: 'RejectApplication',
      applicationId,
      reviewer,
      reason,
    });
    return toApplicationDecision(after, applicationId);
  }
}
