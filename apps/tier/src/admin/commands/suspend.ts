import { SuspendOrganizationCommand } from '../../suspend-organization/suspend-organization.command';
import { SuspendOrganizationRequest } from '../../suspend-organization/suspend-organization.request';
import { AdminCommand } from '../admin-command';
import { requireArgs, valid, validOrg } from '../cli-input';
import { formatSummary } from '../cli-format';

export const suspend: AdminCommand = {
  name: 'suspend',
  synopsis: '<orgId> --reason <text>',
  description: 'suspend for a usage-guidelines violation',
  async run({ args, flags, by, buses }) {
    const [orgId] = requireArgs(args, ['orgId']);
    const request = valid(SuspendOrganizationRequest, { reason: flags.reason });
    return formatSummary(
      await buses.commands.execute(new SuspendOrganizationCommand(validOrg(orgId), request.reason, by)),
    );
  },
};
