import type { FieldProblem } from '../api/api-error';
import type { LimitOverride, LimitOverrideEntry } from '../api/types';
import { formatLimit } from './format';

/** One window of the override form: keep the tier's cap, lift it, or set a number. */
export interface WindowInput {
  mode: 'tier' | 'none' | 'cap';
  cap: string;
}

const MAX_CAP = 1_000_000_000;

/**
 * The body of `PUT /v1/orgs/{orgId}/limits` from the form, or what is wrong with it, checked here as the
 * API would so that a person sees the problem next to the field. The PUT replaces the endpoint's whole
 * override: the limits of the general form it already holds (`kept`, which the form does not edit)
 * are sent again, so that setting a window does not drop them.
 */
export function parseLimitOverride(
  endpoint: string,
  perMinute: WindowInput,
  perDay: WindowInput,
  kept: LimitOverrideEntry[] = [],
): { endpoint: string; override: LimitOverride } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = endpoint.trim();
  if (name === '') problems.push({ field: 'endpoint', message: 'Choose the endpoint to override.' });
  const override: LimitOverride = {};
  const windows = [
    ['perMinute', perMinute, 'per minute'],
    ['perDay', perDay, 'per day'],
  ] as const;
  for (const [field, input, label] of windows) {
    if (input.mode === 'none') override[field] = null;
    if (input.mode !== 'cap') continue;
    const cap = Number(input.cap.trim());
    if (input.cap.trim() === '' || !Number.isInteger(cap) || cap < 0 || cap > MAX_CAP) {
      problems.push({ field, message: `The cap ${label} must be a whole number from 0 to 1,000,000,000.` });
    } else {
      override[field] = cap;
    }
  }
  if (perMinute.mode === 'tier' && perDay.mode === 'tier') {
    problems.push({ field: 'perMinute', message: 'Change at least one window: per minute or per day.' });
  }
  if (kept.length > 0) override.limits = kept;
  return problems.length > 0 ? { problems } : { endpoint: name, override };
}

/** A limit of the general form as the console lists it: `chars per PT1M: 100,000 (model m1)`. */
export function describeOverrideEntry(entry: LimitOverrideEntry): string {
  const model = entry.model === undefined ? '' : ` (model ${entry.model})`;
  return `${entry.unit} per ${entry.window}: ${formatLimit(entry.limit)}${model}`;
}
