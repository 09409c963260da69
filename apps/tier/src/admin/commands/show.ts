import { OrganizationView } from '../../access/access.views';
import { GetOrganizationAccessQuery } from '../../get-organization-access/get-organization-access.query';
import { AdminCommand } from '../admin-command';
import { requireArgs, validOrg } from '../cli-input';
import { formatSummary } from '../cli-format';
import { formatKey } from './list-keys';

export const show: AdminCommand = {
  name: 'show',
  synopsis: '<orgId>',
  description: 'tier, status, limits, applications, keys, models, history',
  async run({ args, buses }) {
    const [orgId] = requireArgs(args, ['orgId']);
    return formatOrganization(await buses.queries.execute(new GetOrganizationAccessQuery(validOrg(orgId))));
  },
};

function formatOrganization(view: OrganizationView): string {
  const lines = [formatSummary(view), '  applications:'];
  if (view.applications.length === 0) lines.push('    none');
  for (const a of view.applications)
    lines.push(`    ${a.applicationId}  ${a.status}  submitted ${a.submittedAt} by ${a.submittedBy}`);
  lines.push('  api keys:');
  if (view.apiKeys.length === 0) lines.push('    none');
  for (const key of view.apiKeys) lines.push(`  ${formatKey(key)}`);
  lines.push('  models:');
  if (view.models.length === 0) lines.push('    none');
  for (const m of view.models) lines.push(`    ${m.name}  registered ${m.registeredAt} by ${m.registeredBy}`);
  lines.push('  history:');
  if (view.history.length === 0) lines.push('    none');
  const shown = new Set(['version', 'type', 'by', 'at', 'eventId', 'recordedAt']);
  for (const entry of view.history) {
    const details = Object.entries(entry)
      .filter(([key]) => !shown.has(key))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    lines.push(
      `    #${entry.version} ${entry.at} ${entry.type} by ${entry.by}${details ? `  ${details}` : ''}`,
    );
  }
  return lines.join('\n');
}
