import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import {
  SubmitFullAccessApplicationCommand,
  SubmittedApplication,
} from './submit-full-access-application.command';

@CommandHandler(SubmitFullAccessApplicationCommand)
export class SubmitFullAccessApplicationHandler implements ICommandHandler<SubmitFullAccessApplicationCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute(command: SubmitFullAccessApplicationCommand): Promise<SubmittedApplication> {
    const applicationId = this.access.newId();
    await this.access.execute(command.orgId, {
      type: 'SubmitFullAccessApplication',
      applicationId,
      useCase: command.useCase,
      intendedUse: command.intendedUse,
      risks: command.risks,
      commitment: command.commitment,
      submittedBy: command.submittedBy,
    });
    return { applicationId, orgId: command.orgId, status: 'pending' };
  }
}
