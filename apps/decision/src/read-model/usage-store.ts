import {
  CompiledPolicy,
  LimitUnit,
  Scope,
  SlidingWindow,
  UsageReader,
  UsageWriter,
  monthIndex,
} from '@metergate/policy';

/** Slot of a (scope, track) pair in an organization's window list; tracks per scope are few. */
const MAX_TRACKS = 8;

const UNITS = 2;
const unitIndex = (unit: LimitUnit) => (unit === 'calls' ? 0 : 1);

/**
 * The counters of every organization, by directory row: sliding-window buckets of the organizations
 * active in some window (the others hold none), lifetime and calendar-month totals in flat columns
 * per endpoint, and the characters their open reservations hold. `row` selects the organization the
 * UsageReader/UsageWriter methods work on, so a check allocates nothing to read its counters.
 */
export class UsageStore implements UsageReader, UsageWriter {
  row = -1;
  private readonly windows: ((SlidingWindow | undefined)[] | undefined)[] = [];
  /** Rows holding windows, for housekeeping. */
  private readonly active = new Set<number>();
  private readonly stride: number;
  private lifetime: Float64Array;
  private month?: { units: Float64Array; index: Int32Array };
  /** Totals of model scopes (only those some limit reads), which few organizations have. */
  private readonly modelTotals = new Map<
    number,
    Map<number, { lifetime: number; month: number; monthIndex: number }>
  >();
  private readonly reservedBy = new Map<number, Map<Scope, number>>();

  constructor(private readonly policy: CompiledPolicy) {
    this.stride = policy.endpoints.length * UNITS;
    this.lifetime = new Float64Array(1024 * this.stride);
    if (policy.hasMonthlyLimits) this.trackMonths();
  }

  get activeOrgs(): number {
    return this.active.size;
  }

  // ---- UsageReader ------------------------------------------------------------------------------

  window(scope: Scope, track: number): SlidingWindow | undefined {
    return this.windows[this.row]?.[scope * MAX_TRACKS + track];
  }

  period(scope: Scope, unit: LimitUnit, period: 'lifetime' | 'month', nowMs: number): number {
    const row = this.row;
    if (row < 0) return 0;
    const slots = this.policy.modelSlots;
    if (scope % slots !== 0) {
      const held = this.modelTotals.get(row)?.get(scope * UNITS + unitIndex(unit));
      if (!held) return 0;
      return period === 'lifetime' ? held.lifetime : held.monthIndex === monthIndex(nowMs) ? held.month : 0;
    }
    const at = row * this.stride + (scope / slots) * UNITS + unitIndex(unit);
    if (at >= this.lifetime.length) return 0;
    if (period === 'lifetime') return this.lifetime[at];
    const month = this.month;
    return month && month.index[at] === monthIndex(nowMs) ? month.units[at] : 0;
  }

  reserved(scope: Scope): number {
    return this.reservedBy.get(this.row)?.get(scope) ?? 0;
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
    const at = scope * MAX_TRACKS + track;
    let window = windows[at];
    if (!window) windows[at] = window = new SlidingWindow(this.policy.tracks[track].resolutionMs);
    window.add(atMs, units);
  }

  addToPeriods(scope: Scope, unit: LimitUnit, atMs: number, units: number): void {
    const row = this.row;
    const slots = this.policy.modelSlots;
    if (scope % slots !== 0) {
      let totals = this.modelTotals.get(row);
      if (!totals)
        this.modelTotals.set(
          row,
          (totals = new Map<number, { lifetime: number; month: number; monthIndex: number }>()),
        );
      const key = scope * UNITS + unitIndex(unit);
      const held = totals.get(key) ?? { lifetime: 0, month: 0, monthIndex: -1 };
      held.lifetime += units;
      const month = monthIndex(atMs);
      if (month > held.monthIndex) Object.assign(held, { month: units, monthIndex: month });
      else if (month === held.monthIndex) held.month += units;
      totals.set(key, held);
      return;
    }
    const at = this.slot(row, scope / slots, unit);
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
    let held = this.reservedBy.get(row);
    if (!held) this.reservedBy.set(row, (held = new Map<Scope, number>()));
    for (const scope of scopes) {
      const left = (held.get(scope) ?? 0) + chars;
      if (left > 0) held.set(scope, left);
      else held.delete(scope);
    }
    if (held.size === 0) this.reservedBy.delete(row);
  }

  // ---- loading ----------------------------------------------------------------------------------

  /** Sets a row's lifetime or monthly total of an endpoint, as a snapshot holds it. */
  loadTotals(
    row: number,
    endpoint: number,
    unit: LimitUnit,
    period: 'lifetime' | 'month',
    units: number,
    nowMs: number,
  ): void {
    const at = this.slot(row, endpoint, unit);
    if (period === 'lifetime') this.lifetime[at] = units;
    else if (this.month) {
      this.month.units[at] = units;
      this.month.index[at] = monthIndex(nowMs);
    }
  }

  loadModelTotals(
    row: number,
    scope: Scope,
    unit: LimitUnit,
    lifetime: number,
    month: number,
    nowMs: number,
  ): void {
    let totals = this.modelTotals.get(row);
    if (!totals)
      this.modelTotals.set(
        row,
        (totals = new Map<number, { lifetime: number; month: number; monthIndex: number }>()),
      );
    totals.set(scope * UNITS + unitIndex(unit), { lifetime, month, monthIndex: monthIndex(nowMs) });
  }

  // ---- housekeeping -----------------------------------------------------------------------------

  /** Forgets windows that have emptied; an organization without any holds no window memory. */
  sweep(nowMs: number): void {
    const tracks = this.policy.tracks;
    for (const row of this.active) {
      const windows = this.windows[row]!;
      let kept = 0;
      for (let i = 0; i < windows.length; i += 1) {
        const window = windows[i];
        if (!window) continue;
        if (window.isEmpty(nowMs, tracks[i % MAX_TRACKS].slots)) windows[i] = undefined;
        else kept += 1;
      }
      if (kept === 0) {
        this.windows[row] = undefined;
        this.active.delete(row);
      }
    }
  }

  private slot(row: number, endpoint: number, unit: LimitUnit): number {
    const at = row * this.stride + endpoint * UNITS + unitIndex(unit);
    if (at >= this.lifetime.length) this.grow(at);
    return at;
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
