import { SlidingWindow, dayWindow, minuteWindow } from './sliding-window';

/** Per-endpoint limits that replace the tier's for one organization; null lifts that cap. */
export interface LimitOverride {
  perMinute?: number | null;
  perDay?: number | null;
}

export interface OrgAccess {
  tier: string;
  status: 'active' | 'suspended';
  limitOverrides: Record<string, LimitOverride>;
  /** The access stream position this state reflects; a newer one replaces it. */
  version: number;
}

export class EndpointUsage {
  readonly minute: SlidingWindow = minuteWindow();
  readonly day: SlidingWindow = dayWindow();
  /** Lifetime characters (input + output). */
  chars = 0;
}

/**
 * What one organization has used, as far as this process knows, plus its access. Mutated only through
 * the record methods, which are safe to call in any order of arrival (windows sort late calls in).
 */
export class OrgUsage {
  /** Undefined: the tier service never touched the organization, so it is on the default tier, active. */
  access: OrgAccess | undefined;
  private readonly byEndpoint: (EndpointUsage | undefined)[] = [];

  recordCalls(endpoint: number, atMs: number, calls: number): void {
    if (calls === 0) return;
    const usage = this.usageOrCreate(endpoint);
    usage.minute.add(atMs, calls);
    usage.day.add(atMs, calls);
  }

  /** Loads calls into the minute window only (from 1-second projection buckets). */
  loadMinuteBucket(endpoint: number, atMs: number, calls: number): void {
    if (calls > 0) this.usageOrCreate(endpoint).minute.add(atMs, calls);
  }

  /** Loads calls into the day window only (from 1-minute projection buckets). */
  loadDayBucket(endpoint: number, atMs: number, calls: number): void {
    if (calls > 0) this.usageOrCreate(endpoint).day.add(atMs, calls);
  }

  recordChars(endpoint: number, chars: number): void {
    if (chars === 0) return;
    this.usageOrCreate(endpoint).chars += chars;
  }

  /** Applies an access state when it is newer than the one held; returns whether it was applied. */
  applyAccess(access: OrgAccess): boolean {
    if (this.access && this.access.version >= access.version) return false;
    this.access = access;
    return true;
  }

  usage(endpoint: number): EndpointUsage | undefined {
    return this.byEndpoint[endpoint];
  }

  charsUsed(endpoints: readonly number[]): number {
    let sum = 0;
    for (const e of endpoints) sum += this.byEndpoint[e]?.chars ?? 0;
    return sum;
  }

  private usageOrCreate(endpoint: number): EndpointUsage {
    let usage = this.byEndpoint[endpoint];
    if (!usage) {
      usage = new EndpointUsage();
      this.byEndpoint[endpoint] = usage;
    }
    return usage;
  }
}
