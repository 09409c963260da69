import { LimitUnit } from './access-policy';
import { CompiledPolicy, Scope } from './compiled-policy';

/** What a store offers to count usage in; the decision app's store and the reference OrgUsage do. */
export interface UsageWriter {
  addToWindow(scope: Scope, track: number, atMs: number, units: number): void;
  addToPeriods(scope: Scope, unit: LimitUnit, atMs: number, units: number): void;
}

/**
 * Counts calls and characters of one call where every limit reads them: each scope the call counts in
 * (every call's, and its model's when a limit reads that), each track of the unit, and the lifetime and
 * monthly totals. Negative amounts take back what was counted (a call that moved).
 */
export function recordUsage(
  policy: CompiledPolicy,
  store: UsageWriter,
  endpoint: number,
  modelSlot: number,
  atMs: number,
  calls: number,
  chars: number,
): void {
  if (endpoint < 0 || (calls === 0 && chars === 0)) return;
  const scopes = policy.scopesOf(endpoint, modelSlot);
  const tracks = policy.tracks;
  for (const scope of scopes) {
    for (let t = 0; t < tracks.length; t += 1) {
      const units = tracks[t].unit === 'calls' ? calls : chars;
      if (units !== 0) store.addToWindow(scope, t, atMs, units);
    }
    if (calls !== 0) store.addToPeriods(scope, 'calls', atMs, calls);
    if (chars !== 0) store.addToPeriods(scope, 'chars', atMs, chars);
  }
}
