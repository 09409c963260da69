import { DenialCount } from '@metergate/contracts';

export const MINUTE_MS = 60_000;

/** One minute's counts, taken out of the counter to be published. */
export interface MinuteDenials {
  /** Start of the minute, in ms since the epoch. */
  minuteMs: number;
  denials: DenialCount[];
}

/** What `count` did: a key it already held, a new key, or nothing because the bound was reached. */
export type Counted = 'added' | 'new' | 'dropped';

/**
 * A replica's denials per (minute, reason, org), in memory until the minute is over. Nested maps rather
 * than one map of composite keys: a denial of a key already held allocates nothing, which matters when
 * an organization hammers a limit and most checks are denials.
 *
 * Once a minute has been taken, nothing is ever counted in it again (a denial stamped with it, after a
 * clock step back or during shutdown, counts in the first minute still open), so each (org, reason,
 * minute) leaves the counter exactly once: what makes one record per key and replica possible.
 */
export class DenialCounter {
  private readonly minutes = new Map<number, Map<string, Map<string, number>>>();
  private keys = 0;
  /** The first minute still open for counting. */
  private openFromMs = -Infinity;

  constructor(private readonly maxKeys: number) {}

  /** Distinct (minute, reason, org) keys held. */
  get pending(): number {
    return this.keys;
  }

  count(orgId: string, reason: string, nowMs: number): Counted {
    const minuteMs = Math.max(nowMs - (nowMs % MINUTE_MS), this.openFromMs);
    let reasons = this.minutes.get(minuteMs);
    let orgs = reasons?.get(reason);
    const held = orgs?.get(orgId);
    if (held !== undefined) {
      orgs!.set(orgId, held + 1);
      return 'added';
    }
    if (this.keys >= this.maxKeys) return 'dropped';
    if (!reasons) this.minutes.set(minuteMs, (reasons = new Map<string, Map<string, number>>()));
    if (!orgs) reasons.set(reason, (orgs = new Map<string, number>()));
    orgs.set(orgId, 1);
    this.keys += 1;
    return 'new';
  }

  /** Removes and returns the minutes that are over at `nowMs`, oldest first. */
  takeClosed(nowMs: number): MinuteDenials[] {
    return this.takeBefore(nowMs - (nowMs % MINUTE_MS));
  }

  /** Removes and returns every minute, the current one included (shutdown). */
  takeAll(nowMs: number): MinuteDenials[] {
    const latest = Math.max(nowMs - (nowMs % MINUTE_MS), ...this.minutes.keys());
    return this.takeBefore(latest + MINUTE_MS);
  }

  private takeBefore(endMs: number): MinuteDenials[] {
    this.openFromMs = Math.max(this.openFromMs, endMs);
    const taken: MinuteDenials[] = [];
    for (const [minuteMs, reasons] of this.minutes) {
      if (minuteMs >= endMs) continue;
      const denials: DenialCount[] = [];
      for (const [reason, orgs] of reasons) {
        for (const [orgId, count] of orgs) denials.push({ orgId, reason, count });
      }
      this.minutes.delete(minuteMs);
      this.keys -= denials.length;
      taken.push({ minuteMs, denials });
    }
    return taken.sort((a, b) => a.minuteMs - b.minuteMs);
  }
}
