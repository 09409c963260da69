/**
 * Calls counted in a sliding window at a fixed resolution: the window at time `now` holds the buckets
 * `floor(now / resolution) - slots + 1` up to the current one, so a call leaves it exactly `slots`
 * buckets after the bucket it was counted in.
 *
 * Buckets are kept sparse (only those that hold calls), oldest first, because most organizations call
 * in few of the 1,440 minutes of a day and 100,000 of them must fit in a few hundred MiB.
 */
export class SlidingWindow {
  /** Interleaved [bucket, count, bucket, count, ...] from `head` on, oldest first: one small array. */
  private data: number[] | undefined;
  private head = 0;
  private sum = 0;

  constructor(
    readonly resolutionMs: number,
    readonly slots: number,
  ) {}

  get spanMs(): number {
    return this.resolutionMs * this.slots;
  }

  /** Counts `n` calls at `atMs`; out-of-order times (late events) land in their own bucket. */
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

  /** Calls in the window at `nowMs`; forgets the buckets that have left it. */
  total(nowMs: number): number {
    this.expire(nowMs);
    return this.sum;
  }

  /** Milliseconds from `nowMs` until at least `calls` of the counted calls have left the window. */
  msUntilFreed(nowMs: number, calls: number): number {
    this.expire(nowMs);
    if (calls <= 0) return 0;
    const data = this.data;
    let freed = 0;
    if (data) {
      for (let i = this.head; i < data.length; i += 2) {
        freed += data[i + 1];
        if (freed >= calls) return (data[i] + this.slots) * this.resolutionMs - nowMs;
      }
    }
    return this.spanMs;
  }

  /** Milliseconds until the oldest counted call leaves the window; 0 when it is empty. */
  msUntilOldestLeaves(nowMs: number): number {
    this.expire(nowMs);
    if (this.data === undefined) return 0;
    return (this.data[this.head] + this.slots) * this.resolutionMs - nowMs;
  }

  isEmpty(nowMs: number): boolean {
    return this.total(nowMs) === 0;
  }

  private expire(nowMs: number): void {
    const data = this.data;
    if (data === undefined) return;
    const oldestKept = Math.floor(nowMs / this.resolutionMs) - this.slots + 1;
    let head = this.head;
    while (head < data.length && data[head] < oldestKept) {
      this.sum -= data[head + 1];
      head += 2;
    }
    if (head === this.head) return;
    if (head >= data.length) {
      this.data = undefined;
      this.head = 0;
    } else if (head > 64 && head * 2 > data.length) {
      this.data = data.slice(head);
      this.head = 0;
    } else {
      this.head = head;
    }
  }
}

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;

/** The last 60 seconds at 1-second resolution. */
export const minuteWindow = (): SlidingWindow => new SlidingWindow(SECOND_MS, 60);

/** The last 24 hours at 1-minute resolution. */
export const dayWindow = (): SlidingWindow => new SlidingWindow(MINUTE_MS, 24 * 60);
