import { Command } from '@nestjs/cqrs';
import { ApplicationDecision } from '../access/application-decision';

export class ApproveApplicationCommand extends Command<ApplicationDecision> {
  constructor(
    readonly applicationId: string,
    readonly reviewer: string,
    readonly note?: string,
  ) {
    super();
  }
}
