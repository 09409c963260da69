import { Command } from '@nestjs/cqrs';

export interface SubmittedApplication {
  applicationId: string;
  orgId: string;
  status: 'pending';
}

export class SubmitFullAccessApplicationCommand extends Command<SubmittedApplication> {
  constructor(
    readonly orgId: string,
    readonly useCase: string,
    readonly intendedUse: string,
    readonly risks: string,
    readonly commitment: boolean,
    readonly submittedBy: string,
  ) {
    super();
  }
}
