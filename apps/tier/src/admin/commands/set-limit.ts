import { SetLimitOverrideCommand } from '../../set-limit-override/set-limit-override.command';
import {
  SetLimitOverrideRequest,
  requestedOverride,
} from '../../set-limit-override/set-limit-override.request';
import { AdminCommand } from '../admin-command';
import { CliUsageError, requireArgs, valid, validOrg } from '../cli-input';
import { formatSummary } from '../cli-format';

export const setLimit: AdminCommand = {
  name: 'set-limit',
  synopsis:
    '<orgId> <endpoint> [--per-minute <n|none>] [--per-day <n|none>] [--limit <unit:window:n|none[:model]>]...',
  description: "override one endpoint's limits; none lifts a cap (--limit chars:PT1M:40000:large)",
  async run({ args, flags, by, buses }) {
    const [orgId, endpoint] = requireArgs(args, ['orgId', 'endpoint']);
    const request = valid(SetLimitOverrideRequest, {
      endpoint,
      ...(flags['per-minute'] !== undefined && { perMinute: cap(flags['per-minute'], '--per-minute') }),
      ...(flags['per-day'] !== undefined && { perDay: cap(flags['per-day'], '--per-day') }),
      ...(flags.limit !== undefined && { limits: flags.limit.map(limitEntry) }),
    });
    return formatSummary(
      await buses.commands.execute(
        new SetLimitOverrideCommand(validOrg(orgId), request.endpoint, requestedOverride(request), by),
      ),
    );
  },
};

function cap(value: string, flag: string): number | null {
  if (value === 'none') return null;
  if (!/^\d+$/.test(value)) throw new CliUsageError(`${flag} must be a whole number or none`);
  return Number(value);
}

/** `chars:PT1M:40000:large` → one entry of the general form; the request's validation does the rest. */
function limitEntry(value: string): Record<string, unknown> {
  const parts = value.split(':');
  if (parts.length < 3 || parts.length > 4) {
    throw new CliUsageError(
      `--limit ${value}: expected unit:window:limit[:model], e.g. chars:PT1M:40000:large or calls:P1D:none`,
    );
  }
  const [unit, window, limit, model] = parts;
  return {
    unit,
    window,
    limit: cap(limit, `--limit ${value}: the limit`),
    ...(model !== undefined && { model }),
  };
}
