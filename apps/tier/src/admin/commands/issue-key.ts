import { IssueApiKeyCommand } from '../../issue-api-key/issue-api-key.command';
import { IssueApiKeyRequest } from '../../issue-api-key/issue-api-key.request';
import { AdminCommand } from '../admin-command';
import { requireArgs, valid, validOrg } from '../cli-input';

export const issueKey: AdminCommand = {
  name: 'issue-key',
  synopsis: '<orgId> trial|production --name <name> [--reason <text>]',
  description: 'issue an API key; prints it this once',
  async run({ args, flags, by, buses }) {
    const [orgId, purpose] = requireArgs(args, ['orgId', 'purpose']);
    const request = valid(IssueApiKeyRequest, {
      purpose,
      name: flags.name,
      ...(flags.reason !== undefined && { reason: flags.reason }),
    });
    const issued = await buses.commands.execute(
      new IssueApiKeyCommand(validOrg(orgId), request.purpose, request.name, by, request.reason),
    );
    return [
      `Key ${issued.keyId} (${issued.purpose}, "${issued.name}") issued to organization ${orgId}:`,
      '',
      `  ${issued.key}`,
      '',
      `Hand it over now: it is stored only as a digest and cannot be shown again. ${issued.prefix} names it in lists.`,
    ].join('\n');
  },
};
