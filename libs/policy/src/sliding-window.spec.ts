import { SlidingWindow, dayWindow, minuteWindow } from './sliding-window';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('SlidingWindow', () => {
  it('counts calls of the last 60 seconds at 1-second resolution', () => {
    const window = minuteWindow();
    window.add(T0, 2);
    window.add(T0 + 30_500, 3);
    expect(window.total(T0 + 59_999)).toBe(5);
    expect(window.total(T0 + 60_000)).toBe(3);
    expect(window.total(T0 + 89_999)).toBe(3);
    expect(window.total(T0 + 90_000)).toBe(0);
  });

  it('keeps a call for 24 hours at 1-minute resolution', () => {
    const window = dayWindow();
    window.add(T0 + 59_000, 1);
    expect(window.total(T0 + 24 * 3_600_000 - 1)).toBe(1);
    expect(window.total(T0 + 24 * 3_600_000)).toBe(0);
  });

  it('sorts late calls into their own bucket', () => {
    const window = minuteWindow();
    window.add(T0 + 10_000, 1);
    window.add(T0 + 2_000, 4);
    window.add(T0 + 10_200, 1);
    window.add(T0 + 2_100, 1);
    expect(window.total(T0 + 10_000)).toBe(7);
    expect(window.total(T0 + 62_000)).toBe(2);
  });

  it('says when enough calls will have left the window', () => {
    const window = minuteWindow();
    window.add(T0, 1);
    window.add(T0 + 5_000, 1);
    window.add(T0 + 20_000, 1);
    const now = T0 + 30_250;
    expect(window.msUntilFreed(now, 1)).toBe(60_000 - 30_250);
    expect(window.msUntilFreed(now, 2)).toBe(65_000 - 30_250);
    expect(window.msUntilFreed(now, 3)).toBe(80_000 - 30_250);
    expect(window.msUntilOldestLeaves(now)).toBe(60_000 - 30_250);
  });

  it('reports an empty window as resetting now', () => {
    expect(minuteWindow().msUntilOldestLeaves(T0)).toBe(0);
    expect(minuteWindow().msUntilFreed(T0, 0)).toBe(0);
  });

  it('ignores zero counts', () => {
    const window = minuteWindow();
    window.add(T0, 0);
    expect(window.isEmpty(T0)).toBe(true);
  });

  it('stays correct across many expirations and compactions', () => {
    const window = new SlidingWindow(1000, 60);
    for (let s = 0; s < 500; s += 1) window.add(T0 + s * 1000, 1);
    expect(window.total(T0 + 499_000)).toBe(60);
    expect(window.total(T0 + 600_000)).toBe(0);
    window.add(T0 + 600_000, 2);
    expect(window.total(T0 + 600_000)).toBe(2);
  });
});
