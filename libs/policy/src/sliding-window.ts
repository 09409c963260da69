/**
 * Units (calls or characters) counted in buckets of one resolution, sparse (only buckets that hold
 * something), oldest first, in one small array because most organizations call in few buckets and
 * 100,000 of them must fit in a few hundred MiB.
 *
 * A window of `slots` buckets read at `now` sums the current bucket and the `slots` before it. A unit
 * counted at time t in bucket b = floor(t / r) leaves when now reaches (b + slots + 1) * r, which is at
 * least t + slots * r: never before its whole window has passed, and at most one bucket (r) after.
 */
export class SlidingWindow {
  /** Interleaved [bucket, count, bucket, count, ...] from `head` on, oldest first. */
  private data: number[] | undefined;
  private head = 0;
  /** Sum of the counts kept. */
  private sum = 0;

  constructor(readonly resolutionMs: number) {}

  /** Counts `n` at `atMs`; out-of-order times (late events) land in their own bucket. */
  add(atMs: number, n: number): void {
    if (n === 0) return;
    const bucket = Math.floor(atMs / this.resolutionMs);
    this.sum += n;
    const data = this.data;
    if (data === undefined || this.head >= data.length) {
      // An array literal gets exactly the capacity it needs; most windows never hold a second bucket.
      this.data = [bucket, n];
      this.head = 0;
      return;
    }
    let i = data.length - 2;
    if (data[i] < bucket) {
      data.push(bucket, n);
      return;
    }
    while (i >= this.head && data[i] > bucket) i -= 2;
    if (i >= this.head && data[i] === bucket) data[i + 1] += n;
    else data.splice(i + 2, 0, bucket, n);
  }

  /**
   * What the window of `slots` buckets holds at `nowMs`. Buckets older than `keepSlots` (the longest
   * window read from this one) are forgotten.
   */
  total(nowMs: number, slots: number, keepSlots: number): number {
    this.expire(nowMs, keepSlots);
    if (slots >= keepSlots) return this.sum;
    const data = this.data;
    if (data === undefined) return 0;
    const oldest = this.oldestBucket(nowMs, slots);
    let sum = 0;
    for (let i = data.length - 2; i >= this.head && data[i] >= oldest; i -= 2) sum += data[i + 1];
    return sum;
  }

  /**
   * Calls `visit(leavesAtMs, count)` for each bucket of the window at `nowMs`, oldest first, until it
   * returns false; leavesAtMs is when the bucket's count leaves a window of `slots` buckets.
   */
  forEachBucket(nowMs: number, slots: number, visit: (leavesAtMs: number, count: number) => boolean): void {
    const data = this.data;
    if (data === undefined) return;
    const oldest = this.oldestBucket(nowMs, slots);
    for (let i = this.head; i < data.length; i += 2) {
      if (data[i] < oldest) continue;
      if (!visit((data[i] + slots + 1) * this.resolutionMs, data[i + 1])) return;
    }
  }

  /** When the oldest bucket of a window of `slots` buckets leaves it; 0 when that window is empty. */
  oldestLeavesAt(nowMs: number, slots: number): number {
    const data = this.data;
    if (data === undefined) return 0;
    const oldest = this.oldestBucket(nowMs, slots);
    for (let i = this.head; i < data.length; i += 2) {
      if (data[i] >= oldest) return (data[i] + slots + 1) * this.resolutionMs;
    }
    return 0;
  }

  isEmpty(nowMs: number, keepSlots: number): boolean {
    this.expire(nowMs, keepSlots);
    return this.data === undefined;
  }

  private oldestBucket(nowMs: number, slots: number): number {
    return Math.floor(nowMs / this.resolutionMs) - slots;
  }

  private expire(nowMs: number, keepSlots: number): void {
    const data = this.data;
    if (data === undefined) return;
    const oldestKept = this.oldestBucket(nowMs, keepSlots);
    let head = this.head;
    while (head < data.length && data[head] < oldestKept) {
      this.sum -= data[head + 1];
      head += 2;
    }
    if (head === this.head) return;
    if (head >= data.length) {
      this.data = undefined;
      this.head = 0;
      this.sum = 0;
    } else if (head > 64 && head * 2 > data.length) {
      this.data = data.slice(head);
      this.head = 0;
    } else {
      this.head = head;
    }
  }
}

/**
 * Milliseconds from `nowMs` until at least `amount` of what the windows hold has left a window of
 * `slots` buckets; Infinity when they do not hold that much. Several windows (a limit over several
 * scopes) are merged bucket by bucket.
 */
export function msUntilFreed(
  windows: readonly (SlidingWindow | undefined)[],
  nowMs: number,
  slots: number,
  amount: number,
): number {
  if (amount <= 0) return 0;
  const leaving: [number, number][] = [];
  for (const window of windows) {
    window?.forEachBucket(nowMs, slots, (at, count) => {
      leaving.push([at, count]);
      return true;
    });
  }
  if (windows.length > 1) leaving.sort((a, b) => a[0] - b[0]);
  let freed = 0;
  for (const [at, count] of leaving) {
    freed += count;
    if (freed >= amount) return at - nowMs;
  }
  return Number.POSITIVE_INFINITY;
}
