import { RevokeApiKeyCommand } from '../../revoke-api-key/revoke-api-key.command';
import { OrgKeyParams, RevokeApiKeyRequest } from '../../revoke-api-key/revoke-api-key.request';
import { AdminCommand } from '../admin-command';
import { requireArgs, valid } from '../cli-input';

export const revokeKey: AdminCommand = {
  name: 'revoke-key',
  synopsis: '<orgId> <keyId> [--reason <text>]',
  description: 'revoke a key: the decision API refuses it from now on',
  async run({ args, flags, by, buses }) {
    const [orgId, keyId] = requireArgs(args, ['orgId', 'keyId']);
    const params = valid(OrgKeyParams, { orgId, keyId });
    const request = valid(RevokeApiKeyRequest, {
      ...(flags.reason !== undefined && { reason: flags.reason }),
    });
    const key = await buses.commands.execute(
      new RevokeApiKeyCommand(params.orgId, params.keyId, by, request.reason),
    );
    return `Key ${key.keyId} (${key.prefix}…) of organization ${params.orgId} revoked by ${key.revokedBy}.`;
  },
};
