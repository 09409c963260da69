import {
  CompiledPolicy,
  LimitUnit,
  Scope,
  SlidingWindow,
  UsageReader,
  UsageWriter,
  monthIndex,
  periodKey,
} from '@metergate/policy';

/** Key of a (scope, track) pair in an organization's window list; tracks are few. */
const MAX_TRACKS = 8;
const windowKey = (scope: Scope, track: number) => scope * MAX_TRACKS + track;

/**
 * An organization's windows as one small list of (key, window) pairs: most organizations are active in
 * one or two windows, and a list of two pairs costs far less than an array indexed by every scope.
 */
type WindowList = { key: number; window: SlidingWindow }[];

interface Totals {
  lifetime: number;
  month: number;
  monthIndex: number;
}

/**
 * The counters of every organization, by directory row: sliding-window buckets of the organizations
 * active in some window (the others hold none); the lifetime and calendar-month totals that limits read
 * (those of the tiers in flat columns, a few bytes per organization; those only an override reads, per
 * organization); and the characters their open reservations hold. `row` selects the organization the
 * UsageReader/UsageWriter methods work on, so a check allocates nothing to read its counters.
 */
export class UsageStore implements UsageReader, UsageWriter {
  row = -1;
  private readonly windows: (WindowList | undefined)[] = [];
  /** Rows holding windows, for housekeeping. */
  private readonly active = new Set<number>();
  /** Column of each tier-read total (periodKey), in rows of `stride` values. */
  private readonly columns = new Map<number, number>();
  private readonly stride: number;
  private lifetime: Float64Array;
  private month?: { units: Float64Array; index: Int32Array };
  /** Totals only an override reads, which few organizations have. */
  private readonly sparse = new Map<number, Map<number, Totals>>();
  /** Characters reserved, by row * scopeCount + scope: one lookup for a check, none for most rows. */
  private readonly reservedBy = new Map<number, number>();
  private readonly scopeCount: number;

  constructor(private readonly policy: CompiledPolicy) {
    for (const key of policy.periodTotals) this.columns.set(key, this.columns.size);
    this.stride = Math.max(1, this.columns.size);
    this.scopeCount = policy.endpoints.length * policy.modelSlots;
    this.lifetime = new Float64Array(1024 * this.stride);
    if (policy.hasMonthlyLimits) this.trackMonths();
  }

  get activeOrgs(): number {
    return this.active.size;
  }

  // ---- UsageReader ------------------------------------------------------------------------------

  window(scope: Scope, track: number): SlidingWindow | undefined {
    const windows = this.windows[this.row];
    if (windows === undefined) return undefined;
    const key = windowKey(scope, track);
    for (let i = 0; i < windows.length; i += 1) if (windows[i].key === key) return windows[i].window;
    return undefined;
  }

  period(scope: Scope, unit: LimitUnit, period: 'lifetime' | 'month', nowMs: number): number {
    const row = this.row;
    if (row < 0) return 0;
    const key = periodKey(scope, unit);
    const column = this.columns.get(key);
    if (column === undefined) {
      const held = this.sparse.get(row)?.get(key);
      if (!held) return 0;
      return period === 'lifetime' ? held.lifetime : held.monthIndex === monthIndex(nowMs) ? held.month : 0;
    }
    const at = row * this.stride + column;
    if (at >= this.lifetime.length) return 0;
    if (period === 'lifetime') return this.lifetime[at];
    const month = this.month;
    return month && month.index[at] === monthIndex(nowMs) ? month.units[at] : 0;
  }

  reserved(scope: Scope): number {
    return this.reservedBy.get(this.row * this.scopeCount + scope) ?? 0;
  }

  // ---- UsageWriter ------------------------------------------------------------------------------

  addToWindow(scope: Scope, track: number, atMs: number, units: number): void {
    const row = this.row;
    let windows = this.windows[row];
    if (!windows) {
      windows = [];
      this.windows[row] = windows;
      this.active.add(row);
    }
    let window = this.window(scope, track);
    if (!window) {
      window = new SlidingWindow(this.policy.tracks[track].resolutionMs);
      windows.push({ key: windowKey(scope, track), window });
    }
    window.add(atMs, units);
  }

  addToPeriods(scope: Scope, unit: LimitUnit, atMs: number, units: number): void {
    const key = periodKey(scope, unit);
    const column = this.columns.get(key);
    if (column === undefined) {
      if (this.policy.periodTotals.has(key)) addTotals(this.sparseTotals(this.row, key), atMs, units);
      return;
    }
    const at = this.slot(this.row, column);
    this.lifetime[at] += units;
    const month = this.month;
    if (month) {
      const index = monthIndex(atMs);
      if (index > month.index[at]) {
        month.index[at] = index;
        month.units[at] = units;
      } else if (index === month.index[at]) month.units[at] += units;
    }
  }

  // ---- reservations -----------------------------------------------------------------------------

  /** Adds (or, negative, takes back) characters reserved in the row's scopes. */
  reserve(row: number, scopes: readonly Scope[], chars: number): void {
    const reservedBy = this.reservedBy;
    for (let i = 0; i < scopes.length; i += 1) {
      const key = row * this.scopeCount + scopes[i];
      const left = (reservedBy.get(key) ?? 0) + chars;
      if (left > 0) reservedBy.set(key, left);
      else reservedBy.delete(key);
    }
  }

  // ---- loading ----------------------------------------------------------------------------------

  /** Sets a row's lifetime or monthly total of a scope, as a snapshot holds it (when a limit reads it). */
  loadTotal(
    row: number,
    scope: Scope,
    unit: LimitUnit,
    period: 'lifetime' | 'month',
    units: number,
    nowMs: number,
  ): void {
    const key = periodKey(scope, unit);
    const column = this.columns.get(key);
    if (column === undefined) {
      if (!this.policy.periodTotals.has(key)) return;
      const totals = this.sparseTotals(row, key);
      if (period === 'lifetime') totals.lifetime = units;
      else Object.assign(totals, { month: units, monthIndex: monthIndex(nowMs) });
      return;
    }
    const at = this.slot(row, column);
    if (period === 'lifetime') this.lifetime[at] = units;
    else if (this.month) {
      this.month.units[at] = units;
      this.month.index[at] = monthIndex(nowMs);
    }
  }

  // ---- housekeeping -----------------------------------------------------------------------------

  /** Forgets windows that have emptied; an organization without any holds no window memory. */
  sweep(nowMs: number): void {
    const tracks = this.policy.tracks;
    for (const row of this.active) {
      const windows = this.windows[row]!;
      const emptied = (w: WindowList[number]) => w.window.isEmpty(nowMs, tracks[w.key % MAX_TRACKS].slots);
      if (!windows.some(emptied)) continue;
      const kept = windows.filter((w) => !emptied(w));
      this.windows[row] = kept;
      if (kept.length === 0) {
        this.windows[row] = undefined;
        this.active.delete(row);
      }
    }
  }

  private slot(row: number, column: number): number {
    const at = row * this.stride + column;
    if (at >= this.lifetime.length) this.grow(at);
    return at;
  }

  private sparseTotals(row: number, key: number): Totals {
    let totals = this.sparse.get(row);
    if (!totals) this.sparse.set(row, (totals = new Map<number, Totals>()));
    let held = totals.get(key);
    if (!held) totals.set(key, (held = { lifetime: 0, month: 0, monthIndex: -1 }));
    return held;
  }

  private grow(at: number): void {
    let size = this.lifetime.length;
    while (size <= at) size *= 2;
    const lifetime = new Float64Array(size);
    lifetime.set(this.lifetime);
    this.lifetime = lifetime;
    if (this.month) {
      const units = new Float64Array(size);
      const index = new Int32Array(size).fill(-1);
      units.set(this.month.units);
      index.set(this.month.index);
      this.month = { units, index };
    }
  }

  private trackMonths(): void {
    this.month = {
      units: new Float64Array(this.lifetime.length),
      index: new Int32Array(this.lifetime.length).fill(-1),
    };
  }
}

function addTotals(totals: Totals, atMs: number, units: number): void {
  totals.lifetime += units;
  const month = monthIndex(atMs);
  if (month > totals.monthIndex) Object.assign(totals, { month: units, monthIndex: month });
  else if (month === totals.monthIndex) totals.month += units;
}
