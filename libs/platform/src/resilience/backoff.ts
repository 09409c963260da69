/** Exponential backoff delays: `initialMs`, doubled after each failure up to `maxMs`; reset on success. */
export class Backoff {
  private delay: number;

  constructor(
    private readonly initialMs = 250,
    private readonly maxMs = 10_000,
  ) {
    this.delay = initialMs;
  }

  /** The delay to wait before the next attempt; doubles the one after it. */
  next(): number {
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, this.maxMs);
    return delay;
  }

  reset(): void {
    this.delay = this.initialMs;
  }
}
