import { ChangeTierCommand } from '../../change-tier/change-tier.command';
import { ChangeTierRequest } from '../../change-tier/change-tier.request';
import { AdminCommand } from '../admin-command';
import { requireArgs, valid, validOrg } from '../cli-input';
import { formatSummary } from '../cli-format';

export const changeTier: AdminCommand = {
  name: 'change-tier',
  synopsis: '<orgId> <tier> --reason <text>',
  description: 'admin override to any tier of the policy',
  async run({ args, flags, by, buses }) {
    const [orgId, tier] = requireArgs(args, ['orgId', 'tier']);
    const request = valid(ChangeTierRequest, { tier, reason: flags.reason });
    return formatSummary(
      await buses.commands.execute(new ChangeTierCommand(validOrg(orgId), request.tier, request.reason, by)),
    );
  },
};
