import { LimitOverride, LimitOverrideEntry, overrideEntries } from '../limits/limit-override';
import { WindowSpec, parseWindow } from '../limits/window';
import { AccessError, AccessErrorCodes as Codes } from './access.errors';
import { AccessRules } from './access.state';

/**
 * Every access event carries the organization's overrides (the wire's `access`), so an endpoint's are
 * bounded; a tier's own limits rarely number more than a handful.
 */
export const MAX_OVERRIDE_LIMITS = 32;

const isCap = (value: unknown): boolean =>
  value === null || (Number.isSafeInteger(value) && (value as number) >= 0);

/**
 * An override as it may be stored: every entry of a unit, a window the policy language knows (what
 * parseWindow reads), a cap or null, and one of the policy's models when it names one; no two entries
 * (the original perMinute and perDay included) for the same unit, window and model, since the decision
 * API would apply only one of them. Returns it in its stored form (no empty list, no absent fields);
 * refuses the first problem, naming its field (`limits[2].window`).
 */
export function validLimitOverride(
  override: LimitOverride,
  rules: Pick<AccessRules, 'models'>,
): LimitOverride {
  const stored: LimitOverride = {};
  for (const field of ['perMinute', 'perDay'] as const) {
    const cap = override[field];
    if (cap === undefined) continue;
    if (!isCap(cap))
      throw new AccessError(Codes.invalidLimit, `${field} must be a non-negative integer or null`, field);
    stored[field] = cap;
  }
  const given = override.limits ?? [];
  if (given.length > MAX_OVERRIDE_LIMITS) {
    throw new AccessError(
      Codes.invalidLimit,
      `limits may hold at most ${MAX_OVERRIDE_LIMITS} entries per endpoint`,
      'limits',
    );
  }
  const entries = given.map((entry, i) => validEntry(entry, `limits[${i}]`, rules));
  if (entries.length > 0) stored.limits = entries;
  if (stored.perMinute === undefined && stored.perDay === undefined && entries.length === 0) {
    throw new AccessError(
      Codes.emptyLimitOverride,
      'perMinute or perDay, or at least one entry of limits, must be given',
      override.limits === undefined ? 'perMinute' : 'limits',
    );
  }
  requireDistinct(stored);
  return stored;
}

function validEntry(
  entry: LimitOverrideEntry,
  path: string,
  rules: Pick<AccessRules, 'models'>,
): LimitOverrideEntry {
  if (entry.unit !== 'calls' && entry.unit !== 'chars') {
    throw new AccessError(Codes.invalidLimit, `${path}.unit must be calls or chars`, `${path}.unit`);
  }
  if (!parseWindow(entry.window)) {
    throw new AccessError(
      Codes.invalidLimitWindow,
      `${path}.window must be an ISO 8601 duration from PT1S to P31D (PT1M, PT1H, P1D...), P1M (the calendar month, UTC) or lifetime`,
      `${path}.window`,
    );
  }
  if (!isCap(entry.limit)) {
    throw new AccessError(
      Codes.invalidLimit,
      `${path}.limit must be a non-negative integer or null`,
      `${path}.limit`,
    );
  }
  if (entry.model !== undefined && !rules.models.includes(entry.model)) {
    throw new AccessError(
      Codes.unknownModel,
      `${path}.model must be one of the policy's models (${rules.models.join(', ')})`,
      `${path}.model`,
    );
  }
  const valid: LimitOverrideEntry = { unit: entry.unit, window: entry.window, limit: entry.limit };
  if (entry.model !== undefined) valid.model = entry.model;
  return valid;
}

/** Windows are the same when they count the same span: PT60M is PT1H. */
function windowKey(window: WindowSpec): string {
  return window.kind === 'sliding' ? String(window.ms) : window.kind;
}

function requireDistinct(override: LimitOverride): void {
  // overrideEntries lists perMinute and perDay (when given) before the entries of limits.
  const paths = [
    ...(override.perMinute !== undefined ? ['perMinute'] : []),
    ...(override.perDay !== undefined ? ['perDay'] : []),
    ...(override.limits ?? []).map((_, i) => `limits[${i}]`),
  ];
  const seen = new Map<string, string>();
  overrideEntries(override).forEach((entry, i) => {
    const key = `${entry.unit}|${windowKey(parseWindow(entry.window)!)}|${entry.model ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new AccessError(
        Codes.duplicateLimit,
        `${paths[i]} has the same unit, window and model as ${first}; give each limit once`,
        paths[i],
      );
    }
    seen.set(key, paths[i]);
  });
}
