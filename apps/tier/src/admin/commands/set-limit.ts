import { LimitOverride } from '@metergate/policy';
import { SetLimitOverrideCommand } from '../../set-limit-override/set-limit-override.command';
import { SetLimitOverrideRequest } from '../../set-limit-override/set-limit-override.request';
import { AdminCommand } from '../admin-command';
import { CliUsageError, requireArgs, valid, validOrg } from '../cli-input';
import { formatSummary } from '../cli-format';

export const setLimit: AdminCommand = {
  name: 'set-limit',
  synopsis: '<orgId> <endpoint> [--per-minute <n|none>] [--per-day <n|none>]',
  description: "override one endpoint's limits (none lifts the cap)",
  async run({ args, flags, by, buses }) {
    const [orgId, endpoint] = requireArgs(args, ['orgId', 'endpoint']);
    const request = valid(SetLimitOverrideRequest, {
      endpoint,
      ...(flags['per-minute'] !== undefined && { perMinute: cap(flags['per-minute'], '--per-minute') }),
      ...(flags['per-day'] !== undefined && { perDay: cap(flags['per-day'], '--per-day') }),
    });
    const override: LimitOverride = {};
    if (request.perMinute !== undefined) override.perMinute = request.perMinute;
    if (request.perDay !== undefined) override.perDay = request.perDay;
    return formatSummary(
      await buses.commands.execute(
        new SetLimitOverrideCommand(validOrg(orgId), request.endpoint, override, by),
      ),
    );
  },
};

function cap(value: string, flag: string): number | null {
  if (value === 'none') return null;
  if (!/^\d+$/.test(value)) throw new CliUsageError(`${flag} must be a whole number or none`);
  return Number(value);
}
