import { ReinstateOrganizationCommand } from '../../reinstate-organization/reinstate-organization.command';
import { ReinstateOrganizationRequest } from '../../reinstate-organization/reinstate-organization.request';
import { AdminCommand } from '../admin-command';
import { requireArgs, valid, validOrg } from '../cli-input';
import { formatSummary } from '../cli-format';

export const reinstate: AdminCommand = {
  name: 'reinstate',
  synopsis: '<orgId> [--reason <text>]',
  description: 'lift a suspension',
  async run({ args, flags, by, buses }) {
    const [orgId] = requireArgs(args, ['orgId']);
    const request = valid(ReinstateOrganizationRequest, {
      ...(flags.reason !== undefined && { reason: flags.reason }),
    });
    return formatSummary(
      await buses.commands.execute(new ReinstateOrganizationCommand(validOrg(orgId), by, request.reason)),
    );
  },
};
