/**
 * What one newly counted event contributes. `calls` is 0 for a usage event whose call was already
 * counted by its admission (and the characters of an admission are always 0).
 */
export interface CountedUsage {
  orgId: string;
  endpoint: string;
  userId: string;
  model: string;
  /** Epoch milliseconds of the call. */
  at: number;
  calls: number;
  inputChars: number;
  outputChars: number;
}

export interface Counts {
  calls: number;
  inputChars: number;
  outputChars: number;
}

export interface WindowBucketRow extends Counts {
  orgId: string;
  endpoint: string;
  bucket: Date;
}

export interface RollupRow extends WindowBucketRow {
  userId: string;
  model: string;
}

export interface LifetimeRow extends Counts {
  orgId: string;
  endpoint: string;
}

export interface UsageBucketRows {
  seconds: WindowBucketRow[];
  minutes: WindowBucketRow[];
  hours: RollupRow[];
  days: RollupRow[];
  lifetime: LifetimeRow[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const floorTo = (at: number, size: number) => at - (((at % size) + size) % size);

/**
 * Folds counted events into the rows to add to each table: one row per key, and rows sorted by key,
 * so that concurrent transactions lock shared rows in the same order and cannot deadlock.
 */
export function projectUsageBuckets(events: CountedUsage[]): UsageBucketRows {
  const seconds = new Map<string, WindowBucketRow>();
  const minutes = new Map<string, WindowBucketRow>();
  const hours = new Map<string, RollupRow>();
  const days = new Map<string, RollupRow>();
  const lifetime = new Map<string, LifetimeRow>();

  for (const e of events) {
    if (e.calls === 0 && e.inputChars === 0 && e.outputChars === 0) continue;
    addWindow(seconds, e, floorTo(e.at, SECOND));
    addWindow(minutes, e, floorTo(e.at, MINUTE));
    addRollup(hours, e, floorTo(e.at, HOUR));
    addRollup(days, e, floorTo(e.at, DAY));
    const key = `${e.orgId}\u0000${e.endpoint}`;
    const row = lifetime.get(key) ?? {
      orgId: e.orgId,
      endpoint: e.endpoint,
      calls: 0,
      inputChars: 0,
      outputChars: 0,
    };
    add(row, e);
    lifetime.set(key, row);
  }

  return {
    seconds: sorted(seconds),
    minutes: sorted(minutes),
    hours: sorted(hours),
    days: sorted(days),
    lifetime: sorted(lifetime),
  };
}

function add(target: Counts, e: Counts): void {
  target.calls += e.calls;
  target.inputChars += e.inputChars;
  target.outputChars += e.outputChars;
}

function addWindow(rows: Map<string, WindowBucketRow>, e: CountedUsage, bucket: number): void {
  const key = `${e.orgId}\u0000${e.endpoint}\u0000${bucket.toString().padStart(16, '0')}`;
  let row = rows.get(key);
  if (!row) {
    row = {
      orgId: e.orgId,
      endpoint: e.endpoint,
      bucket: new Date(bucket),
      calls: 0,
      inputChars: 0,
      outputChars: 0,
    };
    rows.set(key, row);
  }
  add(row, e);
}

function addRollup(rows: Map<string, RollupRow>, e: CountedUsage, bucket: number): void {
  const key = `${e.orgId}\u0000${bucket.toString().padStart(16, '0')}\u0000${e.endpoint}\u0000${e.userId}\u0000${e.model}`;
  let row = rows.get(key);
  if (!row) {
    row = {
      orgId: e.orgId,
      bucket: new Date(bucket),
      endpoint: e.endpoint,
      userId: e.userId,
      model: e.model,
      calls: 0,
      inputChars: 0,
      outputChars: 0,
    };
    rows.set(key, row);
  }
  add(row, e);
}

function sorted<T>(rows: Map<string, T>): T[] {
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
