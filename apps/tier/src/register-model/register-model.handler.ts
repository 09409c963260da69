import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessCommands } from '../access/access-commands';
import { RegisterModelCommand, RegisteredModel } from './register-model.command';

@CommandHandler(RegisterModelCommand)
export class RegisterModelHandler implements ICommandHandler<RegisterModelCommand> {
  constructor(private readonly access: AccessCommands) {}

  async execute({ orgId, model, registeredBy }: RegisterModelCommand): Promise<RegisteredModel> {
    const after = await this.access.execute(orgId, { type: 'RegisterModel', model, registeredBy });
    return { orgId, ...after.models.find((m) => m.name === model)! };
  }
}
