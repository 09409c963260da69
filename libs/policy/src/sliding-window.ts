/**
 * Calls counted in a sliding window at a fixed resolution: the window at time `now` holds the buckets
 * `floor(now / resolution) - slots + 1` up to the current one, so a call leaves it exactly `slots`
 * buckets after the bucket it was counted in.
 *
 * Buckets are kept sparse (only those that hold calls), oldest first, because most organizations call
 * in few of the 1,440 minutes of a day and 100,000 of them must fit in a few hundred MiB.
 */
export class SlidingWindow {
  private buckets: number[] = [];
  private counts: number[] = [];
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
    const last = this.buckets.length - 1;
    if (last < this.head || this.buckets[last] < bucket) {
      this.buckets.push(bucket);
      this.counts.push(n);
    } else {
      let i = last;
      while (i >= this.head && this.buckets[i] > bucket) i -= 1;
      if (i >= this.head && this.buckets[i] === bucket) this.counts[i] += n;
      else {
        this.buckets.splice(i + 1, 0, bucket);
        this.counts.splice(i + 1, 0, n);
      }
    }
    this.sum += n;
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
    let freed = 0;
    for (let i = this.head; i < this.buckets.length; i += 1) {
      freed += this.counts[i];
      if (freed >= calls) return (this.buckets[i] + this.slots) * this.resolutionMs - nowMs;
    }
    return this.spanMs;
  }

  /** Milliseconds until the oldest counted call leaves the window; 0 when it is empty. */
  msUntilOldestLeaves(nowMs: number): number {
    this.expire(nowMs);
    if (this.head >= this.buckets.length) return 0;
    return (this.buckets[this.head] + this.slots) * this.resolutionMs - nowMs;
  }

  isEmpty(nowMs: number): boolean {
    return this.total(nowMs) === 0;
  }

  private expire(nowMs: number): void {
    const oldestKept = Math.floor(nowMs / this.resolutionMs) - this.slots + 1;
    let head = this.head;
    while (head < this.buckets.length && this.buckets[head] < oldestKept) {
      this.sum -= this.counts[head];
      head += 1;
    }
    if (head === this.head) return;
    if (head === this.buckets.length) {
      this.buckets = [];
      this.counts = [];
      this.head = 0;
    } else if (head > 32 && head * 2 > this.buckets.length) {
      this.buckets = this.buckets.slice(head);
      this.counts = this.counts.slice(head);
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
