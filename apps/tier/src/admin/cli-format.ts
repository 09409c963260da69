import { LimitOverride } from '@metergate/policy';
import { AccessSummary } from '../access/access.views';
import { ApplicationDecision } from '../access/application-decision';

function formatLimits(limits: Record<string, LimitOverride>): string {
  const entries = Object.entries(limits);
  if (entries.length === 0) return 'none (the tier applies)';
  const window = (v: number | null | undefined) =>
    v === undefined ? 'tier' : v === null ? 'no cap' : String(v);
  return entries
    .map(([endpoint, l]) => `${endpoint}: ${window(l.perMinute)}/min, ${window(l.perDay)}/day`)
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
