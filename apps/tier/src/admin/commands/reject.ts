import { RejectApplicationCommand } from '../../reject-application/reject-application.command';
import { RejectApplicationRequest } from '../../reject-application/reject-application.request';
import { AdminCommand } from '../admin-command';
import { requireArgs, valid } from '../cli-input';
import { formatDecision } from '../cli-format';

export const reject: AdminCommand = {
  name: 'reject',
  synopsis: '<applicationId> --reason <text>',
  description: 'reject; the organization may apply again',
  async run({ args, flags, by, buses }) {
    const [applicationId] = requireArgs(args, ['applicationId']);
    const request = valid(RejectApplicationRequest, { reviewer: by, reason: flags.reason });
    return formatDecision(
      await buses.commands.execute(
        new RejectApplicationCommand(applicationId, request.reviewer, request.reason),
      ),
    );
  },
};
