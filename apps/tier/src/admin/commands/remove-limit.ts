import { RemoveLimitOverrideCommand } from '../../remove-limit-override/remove-limit-override.command';
import { AdminCommand } from '../admin-command';
import { requireArgs, validOrg } from '../cli-input';
import { formatSummary } from '../cli-format';

export const removeLimit: AdminCommand = {
  name: 'remove-limit',
  synopsis: '<orgId> <endpoint>',
  description: "the tier's limits apply again",
  async run({ args, by, buses }) {
    const [orgId, endpoint] = requireArgs(args, ['orgId', 'endpoint']);
    return formatSummary(
      await buses.commands.execute(new RemoveLimitOverrideCommand(validOrg(orgId), endpoint, by)),
    );
  },
};
