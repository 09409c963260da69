import type { HistoryEntry, LimitOverride } from '../api/types';
import { formatLimit } from './format';
import { describeOverrideEntry } from './limit-override-form';

export interface HistoryItem {
  /** What happened, as a sentence. */
  what: string;
  /** Why, in the words of whoever did it, when they gave a reason or note. */
  why?: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

function describeOverride(value: unknown): string {
  const override = (typeof value === 'object' && value !== null ? value : {}) as LimitOverride;
  const parts: string[] = [];
  if (override.perMinute !== undefined || override.limits === undefined)
    parts.push(`per minute ${formatLimit(override.perMinute)}`);
  if (override.perDay !== undefined || override.limits === undefined)
    parts.push(`per day ${formatLimit(override.perDay)}`);
  for (const entry of override.limits ?? []) parts.push(describeOverrideEntry(entry));
  return parts.join(', ');
}

/**
 * An access event of the organization's history, told as what happened and why. `keyPrefixes` names keys
 * by their prefix (a revocation carries only the key's id).
 */
export function describeHistoryEntry(
  entry: HistoryEntry,
  keyPrefixes: ReadonlyMap<string, string> = new Map(),
): HistoryItem {
  const why = (value: unknown) => {
    const reason = text(value);
    return reason === undefined ? {} : { why: reason };
  };
  switch (entry.type) {
    case 'FullAccessRequested':
      return { what: 'Applied for full access', ...why(entry.useCase) };
    case 'FullAccessApproved':
      return {
        what: `Full access approved: moved from ${String(entry.from)} to ${String(entry.tier)}`,
        ...why(entry.note),
      };
    case 'FullAccessRejected':
      return { what: 'Full access application rejected', ...why(entry.reason) };
    case 'TierChanged':
      return { what: `Tier changed from ${String(entry.from)} to ${String(entry.to)}`, ...why(entry.reason) };
    case 'OrganizationSuspended':
      return { what: 'Suspended', ...why(entry.reason) };
    case 'OrganizationReinstated':
      return { what: 'Reinstated', ...why(entry.reason) };
    case 'LimitOverrideSet':
      return {
        what: `Limits of ${String(entry.endpoint)} overridden: ${describeOverride(entry.override)}`,
      };
    case 'LimitOverrideRemoved':
      return { what: `Limit override of ${String(entry.endpoint)} removed` };
    case 'ApiKeyIssued':
      return {
        what: `API key ${String(entry.prefix)} issued for ${String(entry.purpose)}: ${String(entry.name)}`,
        ...why(entry.reason),
      };
    case 'ApiKeyRevoked': {
      const keyId = String(entry.keyId);
      return { what: `API key ${keyPrefixes.get(keyId) ?? keyId} revoked`, ...why(entry.reason) };
    }
    case 'ModelRegistered':
      return { what: `Custom model ${String(entry.model)} registered` };
    default:
      // An event type added after this console was built: shown by its name rather than hidden.
      return { what: entry.type, ...why(entry.reason) };
  }
}

/** Newest first, as a timeline reads. */
export function timeline(history: HistoryEntry[]): HistoryEntry[] {
  return [...history].sort((a, b) => b.version - a.version);
}
