import fc from 'fast-check';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  SECOND_MS,
  monthIndex,
  monthStartMs,
  parseWindow,
  resolutionFor,
} from './window';

describe('window resolution', () => {
  it.each([
    ['PT1S', SECOND_MS, 1],
    ['PT1M', SECOND_MS, 60],
    ['PT5M', SECOND_MS, 300],
    ['PT59M', SECOND_MS, 3540],
    ['PT1H', MINUTE_MS, 60],
    ['PT90M', MINUTE_MS, 90],
    ['P1D', MINUTE_MS, 1440],
    ['PT59H', MINUTE_MS, 3540],
    ['PT60H', HOUR_MS, 60],
    ['P7D', HOUR_MS, 168],
    ['P31D', HOUR_MS, 744],
  ])('counts %s at %d ms in %d buckets', (iso, resolution, slots) => {
    expect(parseWindow(iso)).toMatchObject({ kind: 'sliding', resolutionMs: resolution, slots });
  });

  it('falls back to a finer resolution when a coarser one does not divide the window', () => {
    expect(resolutionFor(HOUR_MS + 30 * SECOND_MS)).toBe(SECOND_MS);
    expect(resolutionFor(3 * DAY_MS + 30 * MINUTE_MS)).toBe(MINUTE_MS);
  });

  it('always gives at least 60 buckets, or one per second, and divides the window evenly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 31 * 24 * 3600 }), (seconds) => {
        const ms = seconds * SECOND_MS;
        const resolution = resolutionFor(ms);
        expect(ms % resolution).toBe(0);
        expect(ms / resolution >= 60 || resolution === SECOND_MS).toBe(true);
      }),
    );
  });

  it('names the usual windows and keeps the ISO text of the others', () => {
    expect(parseWindow('PT1M')).toMatchObject({ label: 'minute' });
    expect(parseWindow('PT60M')).toMatchObject({ label: 'hour' });
    expect(parseWindow('P1D')).toMatchObject({ label: 'day', ms: DAY_MS });
    expect(parseWindow('PT15M')).toMatchObject({ label: 'PT15M' });
    expect(parseWindow('lifetime')).toEqual({ kind: 'lifetime', label: 'lifetime' });
    expect(parseWindow('P1M')).toEqual({ kind: 'month', label: 'month' });
  });

  it.each(['', 'P', 'PT', 'P1DT', '1M', 'PT0S', 'PT0.5S', 'P32D', 'P1Y', 'P2M', 'pt1m', 'PT1M ', 42, null])(
    'refuses %p',
    (text) => {
      expect(parseWindow(text)).toBeUndefined();
    },
  );
});

describe('calendar months in UTC', () => {
  it('puts the last millisecond of a year and the first of the next in consecutive months', () => {
    const newYear = Date.UTC(2027, 0, 1);
    expect(monthIndex(newYear) - monthIndex(newYear - 1)).toBe(1);
    expect(monthStartMs(monthIndex(newYear - 1))).toBe(Date.UTC(2026, 11, 1));
    expect(monthStartMs(monthIndex(newYear - 1) + 1)).toBe(newYear);
  });

  it('does not follow local time zones', () => {
    // 2026-11-30T23:30-05:00 is already December in UTC.
    expect(monthIndex(Date.parse('2026-11-30T23:30:00-05:00'))).toBe(monthIndex(Date.UTC(2026, 11, 1)));
  });

  it('starts every month of 1970 to 2100 where the previous one ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 130 * 12 }), (index) => {
        expect(monthIndex(monthStartMs(index))).toBe(index);
        expect(monthIndex(monthStartMs(index + 1) - 1)).toBe(index);
      }),
    );
  });
});
