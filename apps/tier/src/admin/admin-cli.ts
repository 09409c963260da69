import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '@metergate/platform';
import { LimitOverride } from '@metergate/policy';
import { parseArgs } from 'node:util';
import { ApplicationDecision } from '../access/application-decision';
import { AccessSummary, OrganizationView } from '../access/access.views';
import { OrgParams } from '../access/http-input';
import { ApproveApplicationCommand } from '../approve-application/approve-application.command';
import { ApproveApplicationRequest } from '../approve-application/approve-application.request';
import { ChangeTierCommand } from '../change-tier/change-tier.command';
import { ChangeTierRequest } from '../change-tier/change-tier.request';
import { GetOrganizationAccessQuery } from '../get-organization-access/get-organization-access.query';
import { ApplicationListing, ListApplicationsQuery } from '../list-applications/list-applications.query';
import { ListApplicationsRequest } from '../list-applications/list-applications.request';
import { ReinstateOrganizationCommand } from '../reinstate-organization/reinstate-organization.command';
import { ReinstateOrganizationRequest } from '../reinstate-organization/reinstate-organization.request';
import { RejectApplicationCommand } from '../reject-application/reject-application.command';
import { RejectApplicationRequest } from '../reject-application/reject-application.request';
import { RemoveLimitOverrideCommand } from '../remove-limit-override/remove-limit-override.command';
import { SetLimitOverrideCommand } from '../set-limit-override/set-limit-override.command';
import { SetLimitOverrideRequest } from '../set-limit-override/set-limit-override.request';
import { SuspendOrganizationCommand } from '../suspend-organization/suspend-organization.command';
import { SuspendOrganizationRequest } from '../suspend-organization/suspend-organization.request';

export const USAGE = `Usage: npm run admin -- <command> [arguments] [--by <name>]

  queue [--status pending|approved|rejected]          list applications, oldest first
  show <orgId>                                         tier, status, limits, applications, history
  approve <applicationId> [--note <text>]              approve: the organization moves to production
  reject <applicationId> --reason <text>               reject; the organization may apply again
  change-tier <orgId> <tier> --reason <text>           admin override to any tier of the policy
  suspend <orgId> --reason <text>                      suspend for a usage-guidelines violation
  reinstate <orgId> [--reason <text>]                  lift a suspension
  set-limit <orgId> <endpoint> [--per-minute <n|none>] [--per-day <n|none>]
                                                       override one endpoint's limits (none lifts the cap)
  remove-limit <orgId> <endpoint>                      the tier's limits apply again

--by names who acts (default: $METERGATE_ADMIN, else your login name).`;

/** Input the CLI refuses before running anything; the message names the argument. */
export class CliUsageError extends Error {}

export interface CliBuses {
  commands: CommandBus;
  queries: QueryBus;
}

/** Runs one admin command through the same handlers as the HTTP API and returns what to print. */
export async function runAdminCommand(
  argv: string[],
  buses: CliBuses,
  defaultActor: string,
): Promise<string> {
  const { positionals, values } = parse(argv);
  const [command, ...args] = positionals;
  const by = values.by ?? defaultActor;
  const { commands, queries } = buses;
  switch (command) {
    case 'queue': {
      const request = valid(ListApplicationsRequest, {
        ...(values.status !== undefined && { status: values.status }),
      });
      const status = request.status ?? 'pending';
      return formatQueue(status, await queries.execute(new ListApplicationsQuery(status, 1000)));
    }
    case 'show': {
      const [orgId] = requireArgs(args, ['orgId']);
      return formatOrganization(await queries.execute(new GetOrganizationAccessQuery(validOrg(orgId))));
    }
    case 'approve': {
      const [applicationId] = requireArgs(args, ['applicationId']);
      const request = valid(ApproveApplicationRequest, {
        reviewer: by,
        ...(values.note !== undefined && { note: values.note }),
      });
      return formatDecision(
        await commands.execute(new ApproveApplicationCommand(applicationId, request.reviewer, request.note)),
      );
    }
    case 'reject': {
      const [applicationId] = requireArgs(args, ['applicationId']);
      const request = valid(RejectApplicationRequest, { reviewer: by, reason: values.reason });
      return formatDecision(
        await commands.execute(new RejectApplicationCommand(applicationId, request.reviewer, request.reason)),
      );
    }
    case 'change-tier': {
      const [orgId, tier] = requireArgs(args, ['orgId', 'tier']);
      const request = valid(ChangeTierRequest, { tier, reason: values.reason });
      return formatSummary(
        await commands.execute(new ChangeTierCommand(validOrg(orgId), request.tier, request.reason, by)),
      );
    }
    case 'suspend': {
      const [orgId] = requireArgs(args, ['orgId']);
      const request = valid(SuspendOrganizationRequest, { reason: values.reason });
      return formatSummary(
        await commands.execute(new SuspendOrganizationCommand(validOrg(orgId), request.reason, by)),
      );
    }
    case 'reinstate': {
      const [orgId] = requireArgs(args, ['orgId']);
      const request = valid(ReinstateOrganizationRequest, {
        ...(values.reason !== undefined && { reason: values.reason }),
      });
      return formatSummary(
        await commands.execute(new ReinstateOrganizationCommand(validOrg(orgId), by, request.reason)),
      );
    }
    case 'set-limit': {
      const [orgId, endpoint] = requireArgs(args, ['orgId', 'endpoint']);
      const request = valid(SetLimitOverrideRequest, {
        endpoint,
        ...(values['per-minute'] !== undefined && { perMinute: cap(values['per-minute'], '--per-minute') }),
        ...(values['per-day'] !== undefined && { perDay: cap(values['per-day'], '--per-day') }),
      });
      const override: LimitOverride = {};
      if (request.perMinute !== undefined) override.perMinute = request.perMinute;
      if (request.perDay !== undefined) override.perDay = request.perDay;
      return formatSummary(
        await commands.execute(new SetLimitOverrideCommand(validOrg(orgId), request.endpoint, override, by)),
      );
    }
    case 'remove-limit': {
      const [orgId, endpoint] = requireArgs(args, ['orgId', 'endpoint']);
      return formatSummary(
        await commands.execute(new RemoveLimitOverrideCommand(validOrg(orgId), endpoint, by)),
      );
    }
    case undefined:
      throw new CliUsageError('a command is required');
    default:
      throw new CliUsageError(`unknown command ${command}`);
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        by: { type: 'string' },
        note: { type: 'string' },
        reason: { type: 'string' },
        status: { type: 'string' },
        'per-minute': { type: 'string' },
        'per-day': { type: 'string' },
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

function requireArgs(args: string[], names: string[]): string[] {
  if (args.length !== names.length) {
    throw new CliUsageError(
      `expected ${names.map((n) => `<${n}>`).join(' ')}, got ${args.length} argument(s)`,
    );
  }
  return args;
}

/** The same validation as the HTTP request bodies, so both transports accept exactly the same input. */
function valid<T extends object>(schema: new () => T, input: Record<string, unknown>): T {
  const instance = plainToInstance(schema, input);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new CliUsageError(
      flattenValidationErrors(errors)
        .map((p) => p.message)
        .join('; '),
    );
  }
  return instance;
}

function validOrg(orgId: string): string {
  return valid(OrgParams, { orgId }).orgId;
}

function cap(value: string, flag: string): number | null {
  if (value === 'none') return null;
  if (!/^\d+$/.test(value)) throw new CliUsageError(`${flag} must be a whole number or none`);
  return Number(value);
}

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

function formatLimits(limits: Record<string, LimitOverride>): string {
  const entries = Object.entries(limits);
  if (entries.length === 0) return 'none (the tier applies)';
  const window = (v: number | null | undefined) =>
    v === undefined ? 'tier' : v === null ? 'no cap' : String(v);
  return entries
    .map(([endpoint, l]) => `${endpoint}: ${window(l.perMinute)}/min, ${window(l.perDay)}/day`)
    .join('; ');
}

function formatSummary(summary: AccessSummary): string {
  return [
    `Organization ${summary.orgId} (version ${summary.version})`,
    `  tier:   ${summary.tier}`,
    `  status: ${summary.status}`,
    `  limit overrides: ${formatLimits(summary.limitOverrides)}`,
  ].join('\n');
}

function formatDecision(decision: ApplicationDecision): string {
  return `Application ${decision.applicationId} ${decision.status}; organization ${decision.orgId} is on tier ${decision.tier}.`;
}

function formatOrganization(view: OrganizationView): string {
  const lines = [formatSummary(view), '  applications:'];
  if (view.applications.length === 0) lines.push('    none');
  for (const a of view.applications)
    lines.push(`    ${a.applicationId}  ${a.status}  submitted ${a.submittedAt} by ${a.submittedBy}`);
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
