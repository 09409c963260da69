import { RegisterModelCommand } from '../../register-model/register-model.command';
import { RegisterModelRequest } from '../../register-model/register-model.request';
import { AdminCommand } from '../admin-command';
import { requireArgs, valid, validOrg } from '../cli-input';

export const registerModel: AdminCommand = {
  name: 'register-model',
  synopsis: '<orgId> <name>',
  description: 'register a custom model (needs full access); usable by that organization alone',
  async run({ args, by, buses }) {
    const [orgId, name] = requireArgs(args, ['orgId', 'name']);
    const request = valid(RegisterModelRequest, { name });
    const model = await buses.commands.execute(new RegisterModelCommand(validOrg(orgId), request.name, by));
    return `Model ${model.name} registered for organization ${model.orgId} by ${model.registeredBy}.`;
  },
};
