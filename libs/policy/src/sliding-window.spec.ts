import fc from 'fast-check';
import { SlidingWindow, msUntilFreed } from './sliding-window';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
/** A minute at 1-second resolution: 60 buckets, 61 kept. */
const MINUTE = 60;

describe('SlidingWindow', () => {
  it('keeps a call for its whole minute and at most one second longer', () => {
    const window = new SlidingWindow(1000);
    window.add(T0 + 400, 2);
    window.add(T0 + 30_500, 3);
    expect(window.total(T0 + 60_399, MINUTE, MINUTE)).toBe(5);
    expect(window.total(T0 + 60_999, MINUTE, MINUTE)).toBe(5);
    expect(window.total(T0 + 61_000, MINUTE, MINUTE)).toBe(3);
    expect(window.total(T0 + 91_000, MINUTE, MINUTE)).toBe(0);
  });

  it('never lets a call leave before its window has passed, whatever the time and resolution', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1000, 60_000, 3_600_000),
        fc.integer({ min: 1, max: 1500 }),
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        (resolution, slots, at, later) => {
          const window = new SlidingWindow(resolution);
          window.add(at, 1);
          const spanMs = slots * resolution;
          const now = at + Math.min(later, spanMs - 1);
          expect(window.total(now, slots, slots)).toBe(1);
          expect(new SlidingWindow(resolution).total(now, slots, slots)).toBe(0);
          // ...and is gone one resolution after the window has passed.
          expect(window.total(at + spanMs + resolution, slots, slots)).toBe(0);
        },
      ),
    );
  });

  it('keeps a call for 24 hours at 1-minute resolution', () => {
    const window = new SlidingWindow(60_000);
    window.add(T0 + 59_000, 1);
    expect(window.total(T0 + 24 * 3_600_000 + 59_999, 1440, 1440)).toBe(1);
    expect(window.total(T0 + 24 * 3_600_000 + 60_000, 1440, 1440)).toBe(0);
  });

  it('reads a shorter window from the buckets of a longer one', () => {
    const window = new SlidingWindow(1000);
    window.add(T0, 1);
    window.add(T0 + 200_000, 2);
    expect(window.total(T0 + 250_000, 300, 300)).toBe(3);
    expect(window.total(T0 + 250_000, 60, 300)).toBe(2);
  });

  it('sorts late calls into their own bucket', () => {
    const window = new SlidingWindow(1000);
    window.add(T0 + 10_000, 1);
    window.add(T0 + 2_000, 4);
    window.add(T0 + 10_200, 1);
    window.add(T0 + 2_100, 1);
    expect(window.total(T0 + 10_000, MINUTE, MINUTE)).toBe(7);
    expect(window.total(T0 + 63_000, MINUTE, MINUTE)).toBe(2);
  });

  it('says when enough calls will have left the window', () => {
    const window = new SlidingWindow(1000);
    window.add(T0, 1);
    window.add(T0 + 5_000, 1);
    window.add(T0 + 20_000, 1);
    const now = T0 + 30_250;
    expect(msUntilFreed([window], now, MINUTE, 1)).toBe(61_000 - 30_250);
    expect(msUntilFreed([window], now, MINUTE, 2)).toBe(66_000 - 30_250);
    expect(msUntilFreed([window], now, MINUTE, 3)).toBe(81_000 - 30_250);
    expect(msUntilFreed([window], now, MINUTE, 4)).toBe(Number.POSITIVE_INFINITY);
    expect(window.oldestLeavesAt(now, MINUTE)).toBe(T0 + 61_000);
  });

  it('merges several windows bucket by bucket', () => {
    const a = new SlidingWindow(1000);
    const b = new SlidingWindow(1000);
    a.add(T0 + 10_000, 1);
    b.add(T0, 1);
    b.add(T0 + 20_000, 1);
    expect(msUntilFreed([a, undefined, b], T0 + 30_000, MINUTE, 2)).toBe(71_000 - 30_000);
  });

  it('reports an empty window as resetting now', () => {
    expect(new SlidingWindow(1000).oldestLeavesAt(T0, MINUTE)).toBe(0);
    expect(msUntilFreed([new SlidingWindow(1000)], T0, MINUTE, 0)).toBe(0);
  });

  it('ignores zero counts', () => {
    const window = new SlidingWindow(1000);
    window.add(T0, 0);
    expect(window.isEmpty(T0, MINUTE)).toBe(true);
  });

  it('stays correct across many expirations and compactions', () => {
    const window = new SlidingWindow(1000);
    for (let s = 0; s < 500; s += 1) window.add(T0 + s * 1000, 1);
    expect(window.total(T0 + 499_000, MINUTE, MINUTE)).toBe(61);
    expect(window.total(T0 + 600_000, MINUTE, MINUTE)).toBe(0);
    window.add(T0 + 600_000, 2);
    expect(window.total(T0 + 600_000, MINUTE, MINUTE)).toBe(2);
  });
});
