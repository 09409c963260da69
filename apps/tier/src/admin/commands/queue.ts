import { ApplicationListing, ListApplicationsQuery } from '../../list-applications/list-applications.query';
import { ListApplicationsRequest } from '../../list-applications/list-applications.request';
import { AdminCommand } from '../admin-command';
import { valid } from '../cli-input';

export const queue: AdminCommand = {
  name: 'queue',
  synopsis: '[--status pending|approved|rejected]',
  description: 'list applications, oldest first',
  async run({ flags, buses }) {
    const request = valid(ListApplicationsRequest, {
      ...(flags.status !== undefined && { status: flags.status }),
    });
    const status = request.status ?? 'pending';
    return formatQueue(status, await buses.queries.execute(new ListApplicationsQuery(status, 1000)));
  },
};

function formatQueue(status: string, applications: ApplicationListing[]): string {
  if (applications.length === 0) return `No ${status} applications.`;
  const lines = [`${applications.length} ${status} application(s), oldest first:`];
  for (const a of applications) {
    lines.push('', `  ${a.applicationId}  org ${a.orgId}  submitted ${a.submittedAt} by ${a.submittedBy}`);
    lines.push(
      `    use case:     ${a.useCase}`,
      `    intended use: ${a.intendedUse}`,
      `    risks:        ${a.risks}`,
    );
    if (a.decidedBy)
      lines.push(
        `    ${a.status} by ${a.decidedBy} at ${a.decidedAt}${a.reason ? `: ${a.reason}` : ''}${a.note ? ` (${a.note})` : ''}`,
      );
  }
  return lines.join('\n');
}
