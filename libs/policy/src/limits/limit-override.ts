import { LimitUnit } from '../access-policy';

/**
 * One limit that replaces, for one organization and one endpoint, the tier's limit of the same unit,
 * window and model (or adds one where the tier has none). A null limit lifts that cap.
 */
export interface LimitOverrideEntry {
  unit: LimitUnit;
  window: string;
  limit: number | null;
  model?: string;
}

/**
 * An organization's override of one endpoint's limits. `perMinute` and `perDay` are the original form
 * (calls per PT1M and per P1D) and stay accepted; `limits` is the general one. Both may be present.
 */
export interface LimitOverride {
  perMinute?: number | null;
  perDay?: number | null;
  limits?: LimitOverrideEntry[];
}

/** Every entry of an override in the general form, the original fields first. */
export function overrideEntries(override: LimitOverride): LimitOverrideEntry[] {
  const entries: LimitOverrideEntry[] = [];
  if (override.perMinute !== undefined)
    entries.push({ unit: 'calls', window: 'PT1M', limit: override.perMinute });
  if (override.perDay !== undefined) entries.push({ unit: 'calls', window: 'P1D', limit: override.perDay });
  if (override.limits) entries.push(...override.limits);
  return entries;
}
