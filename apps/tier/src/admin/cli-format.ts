import { LimitOverride } from '@metergate/policy';
import { AccessSummary } from '../access/access.views';
import { ApplicationDecision } from '../access/application-decision';

const cap = (v: number | null) => (v === null ? 'no cap' : String(v));

/** `generate: no cap/min, 1000/day, 40000 chars/PT1M (large)`: the original windows, then each entry. */
function formatLimits(limits: Record<string, LimitOverride>): string {
  const entries = Object.entries(limits);
  if (entries.length === 0) return 'none (the tier applies)';
  const window = (v: number | null | undefined) => (v === undefined ? 'tier' : cap(v));
  return entries
    .map(([endpoint, l]) => {
      const parts: string[] = [];
      if (l.perMinute !== undefined || l.perDay !== undefined)
        parts.push(`${window(l.perMinute)}/min`, `${window(l.perDay)}/day`);
      for (const e of l.limits ?? [])
        parts.push(`${cap(e.limit)} ${e.unit}/${e.window}${e.model === undefined ? '' : ` (${e.model})`}`);
      return `${endpoint}: ${parts.join(', ')}`;
    })
    .join('; ');
}

/** An organization's access as a command that changed it leaves it. */
export function formatSummary(summary: AccessSummary): string {
  return [
    `Organization ${summary.orgId} (version ${summary.version})`,
    `  tier:   ${summary.tier}`,
    `  status: ${summary.status}`,
    `  limit overrides: ${formatLimits(summary.limitOverrides)}`,
  ].join('\n');
}

export function formatDecision(decision: ApplicationDecision): string {
  return `Application ${decision.applicationId} ${decision.status}; organization ${decision.orgId} is on tier ${decision.tier}.`;
}
