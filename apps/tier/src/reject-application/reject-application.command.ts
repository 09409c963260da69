import { Command } from '@nestjs/cqrs';
import { ApplicationDecision } from '../access/application-decision';

export class RejectApplicationCommand extends Command<ApplicationDecision> {
  constructor(
    readonly applicationId: string,
    readonly reviewer: string,
    readonly reason: string,
  ) {
    super();
  }
}
