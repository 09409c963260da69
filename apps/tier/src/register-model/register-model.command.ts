import { Command } from '@nestjs/cqrs';
import { CustomModel } from '@metergate/policy';

export interface RegisteredModel extends CustomModel {
  orgId: string;
}

export class RegisterModelCommand extends Command<RegisteredModel> {
  constructor(
    readonly orgId: string,
    readonly model: string,
    readonly registeredBy: string,
  ) {
    super();
  }
}
