import { ApproveApplicationCommand } from '../../approve-application/approve-application.command';
import { ApproveApplicationRequest } from '../../approve-application/approve-application.request';
import { AdminCommand } from '../admin-command';
import { requireArgs, valid } from '../cli-input';
import { formatDecision } from '../cli-format';

export const approve: AdminCommand = {
  name: 'approve',
  synopsis: '<applicationId> [--note <text>]',
  description: 'approve: the organization moves to production',
  async run({ args, flags, by, buses }) {
    const [applicationId] = requireArgs(args, ['applicationId']);
    const request = valid(ApproveApplicationRequest, {
      reviewer: by,
      ...(flags.note !== undefined && { note: flags.note }),
    });
    return formatDecision(
      await buses.commands.execute(
        new ApproveApplicationCommand(applicationId, request.reviewer, request.note),
      ),
    );
  },
};
