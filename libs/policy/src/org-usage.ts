import { LimitUnit } from './access-policy';
import { CompiledPolicy, Scope } from './compiled-policy';
import { UsageReader } from './decide';
import { monthIndex } from './limits/window';
import { SlidingWindow } from './sliding-window';
import { UsageWriter } from './usage-recording';

export type { LimitOverride, LimitOverrideEntry } from './limits/limit-override';
export type { OrgAccess } from './org-access';

/**
 * One organization's usage in plain maps: the reference store the rules are specified against (and
 * unit-tested with). The decision app keeps the same counters in a compact form of its own.
 */
export class OrgUsage implements UsageReader, UsageWriter {
  private readonly windows = new Map<number, SlidingWindow>();
  private readonly lifetime = new Map<string, number>();
  private readonly months = new Map<string, { month: number; units: number }>();
  private readonly reservations = new Map<Scope, number>();

  constructor(private readonly policy: CompiledPolicy) {}

  window(scope: Scope, track: number): SlidingWindow | undefined {
    return this.windows.get(scope * 64 + track);
  }

  period(scope: Scope, unit: LimitUnit, period: 'lifetime' | 'month', nowMs: number): number {
    if (period === 'lifetime') return this.lifetime.get(`${scope}:${unit}`) ?? 0;
    const month = this.months.get(`${scope}:${unit}`);
    return month && month.month === monthIndex(nowMs) ? month.units : 0;
  }

  reserved(scope: Scope): number {
    return this.reservations.get(scope) ?? 0;
  }

  addToWindow(scope: Scope, track: number, atMs: number, units: number): void {
    const key = scope * 64 + track;
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new SlidingWindow(this.policy.tracks[track].resolutionMs)));
    window.add(atMs, units);
  }

  addToPeriods(scope: Scope, unit: LimitUnit, atMs: number, units: number): void {
    const key = `${scope}:${unit}`;
    this.lifetime.set(key, (this.lifetime.get(key) ?? 0) + units);
    const month = monthIndex(atMs);
    const held = this.months.get(key);
    if (!held || month > held.month) this.months.set(key, { month, units });
    else if (month === held.month) held.units += units;
  }

  reserve(scope: Scope, chars: number): void {
    this.reservations.set(scope, this.reserved(scope) + chars);
  }
}
