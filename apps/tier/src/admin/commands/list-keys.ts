import { ApiKeyView } from '../../access/access.views';
import { ListApiKeysQuery } from '../../list-api-keys/list-api-keys.query';
import { AdminCommand } from '../admin-command';
import { requireArgs, validOrg } from '../cli-input';

export const listKeys: AdminCommand = {
  name: 'list-keys',
  synopsis: '<orgId>',
  description: 'the keys issued to an organization, revoked ones too',
  async run({ args, buses }) {
    const [orgId] = requireArgs(args, ['orgId']);
    const keys = await buses.queries.execute(new ListApiKeysQuery(validOrg(orgId)));
    if (keys.length === 0) return `Organization ${orgId} has no API keys.`;
    return [`${keys.length} key(s) of organization ${orgId}, oldest first:`, ...keys.map(formatKey)].join(
      '\n',
    );
  },
};

/** One line per key, as `show` lists them too. */
export function formatKey(key: ApiKeyView): string {
  const revoked = key.revokedAt ? `, revoked ${key.revokedAt} by ${key.revokedBy}` : '';
  return `  ${key.keyId}  ${key.prefix}…  ${key.purpose}  ${key.status}  "${key.name}"  created ${key.createdAt} by ${key.createdBy}${revoked}`;
}
