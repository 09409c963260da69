import {
  DENIAL_PRESETS,
  MAX_RANGE_MS,
  ORG_DENIAL_PRESETS,
  ORG_DENIALS_MAX_RANGE_MS,
  TOP_DENIALS_MAX_RANGE_MS,
  TOP_MAX_RANGE_MS,
  USAGE_PRESETS,
  allowedGranularities,
  bucketStarts,
  defaultGranularity,
  describeSpan,
  fitGranularity,
  floorToBucket,
  fromDateTimeLocal,
  resolveRange,
  toApiRange,
  toDateTimeLocal,
} from './time-range';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-03-10T12:34:56.789Z');

describe('presets', () => {
  it.each([
    ['usage', USAGE_PRESETS, MAX_RANGE_MS.day],
    ['top denials', DENIAL_PRESETS, TOP_DENIALS_MAX_RANGE_MS],
    ["an organization's denials", ORG_DENIAL_PRESETS, ORG_DENIALS_MAX_RANGE_MS],
  ])('of %s stay within what the API answers', (_name, presets, maxMs) => {
    for (const preset of presets) expect(preset.ms).toBeLessThanOrEqual(maxMs);
  });

  it('offer the most denied organizations over 30 days, and an organization over a day', () => {
    expect(DENIAL_PRESETS.map((p) => p.id)).toEqual(['15m', '1h', '6h', '24h', '7d', '30d']);
    expect(ORG_DENIAL_PRESETS.map((p) => p.id)).toEqual(['15m', '1h', '6h', '24h']);
  });
});

describe('resolveRange', () => {
  it('ends a preset at now, so that each refresh moves it along', () => {
    expect(resolveRange({ kind: 'preset', id: '24h' }, USAGE_PRESETS, MAX_RANGE_MS.day, now)).toEqual({
      range: { from: new Date('2026-03-09T12:34:56.789Z'), to: now },
    });
    const later = new Date(now.getTime() + 5_000);
    expect(resolveRange({ kind: 'preset', id: '1h' }, USAGE_PRESETS, MAX_RANGE_MS.day, later)).toEqual({
      range: { from: new Date(later.getTime() - HOUR), to: later },
    });
  });

  it('refuses a preset it does not offer', () => {
    expect(resolveRange({ kind: 'preset', id: '15m' }, USAGE_PRESETS, MAX_RANGE_MS.day, now)).toEqual({
      problem: 'unknown range 15m',
    });
    expect(resolveRange({ kind: 'preset', id: '15m' }, DENIAL_PRESETS, DAY, now)).toHaveProperty('range');
  });

  it('reads custom times as UTC', () => {
    const choice = { kind: 'custom' as const, from: '2026-03-01T00:00', to: '2026-03-02T06:30' };
    expect(resolveRange(choice, USAGE_PRESETS, MAX_RANGE_MS.hour, now)).toEqual({
      range: { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T06:30:00Z') },
    });
  });

  it.each([
    [{ from: '', to: '2026-03-02T00:00' }, 'Enter the start of the range (UTC).'],
    [{ from: '2026-03-01T00:00', to: 'soon' }, 'Enter the end of the range (UTC).'],
    [{ from: '2026-03-02T00:00', to: '2026-03-02T00:00' }, 'The start must be before the end.'],
    [{ from: '2026-03-03T00:00', to: '2026-03-02T00:00' }, 'The start must be before the end.'],
  ])('says what is wrong with %j', (times, problem) => {
    expect(resolveRange({ kind: 'custom', ...times }, USAGE_PRESETS, MAX_RANGE_MS.day, now)).toEqual({
      problem,
    });
  });

  it('accepts exactly the largest range and names it when exceeded', () => {
    const choice = (to: string) => ({ kind: 'custom' as const, from: '2025-03-01T00:00', to });
    expect(resolveRange(choice('2026-03-02T00:00'), USAGE_PRESETS, TOP_MAX_RANGE_MS, now)).toHaveProperty(
      'range',
    );
    expect(resolveRange(choice('2026-03-02T00:01'), USAGE_PRESETS, TOP_MAX_RANGE_MS, now)).toEqual({
      problem: 'The range may span at most 366 days.',
    });
  });
});

describe('granularities', () => {
  it('allows only those whose largest range holds the span, as the API does', () => {
    expect(allowedGranularities(DAY)).toEqual(['minute', 'hour', 'day']);
    expect(allowedGranularities(DAY + 1)).toEqual(['hour', 'day']);
    expect(allowedGranularities(31 * DAY + 1)).toEqual(['day']);
    expect(allowedGranularities(367 * DAY)).toEqual([]);
  });

  it('picks a few dozen to a few hundred points by default', () => {
    expect(defaultGranularity(HOUR)).toBe('minute');
    expect(defaultGranularity(6 * HOUR)).toBe('minute');
    expect(defaultGranularity(DAY)).toBe('hour');
    expect(defaultGranularity(7 * DAY)).toBe('hour');
    expect(defaultGranularity(30 * DAY)).toBe('day');
  });

  it('keeps the chosen granularity while the range allows it', () => {
    expect(fitGranularity('minute', DAY)).toBe('minute');
    expect(fitGranularity('minute', 7 * DAY)).toBe('hour');
    expect(fitGranularity('hour', 90 * DAY)).toBe('day');
    expect(fitGranularity('day', HOUR)).toBe('day');
  });

  it('gives every preset at least one granularity', () => {
    for (const preset of USAGE_PRESETS) expect(allowedGranularities(preset.ms)).not.toEqual([]);
  });
});

describe('bucketStarts', () => {
  it('lists the buckets that start in [from, to), like the API', () => {
    const range = { from: new Date('2026-03-10T10:00:00Z'), to: new Date('2026-03-10T13:00:00Z') };
    expect(bucketStarts(range, 'hour').map((d) => d.toISOString())).toEqual([
      '2026-03-10T10:00:00.000Z',
      '2026-03-10T11:00:00.000Z',
      '2026-03-10T12:00:00.000Z',
    ]);
  });

  it('leaves out the bucket that started before from', () => {
    const range = { from: new Date('2026-03-10T10:00:01Z'), to: new Date('2026-03-10T12:00:01Z') };
    expect(bucketStarts(range, 'hour').map((d) => d.toISOString())).toEqual([
      '2026-03-10T11:00:00.000Z',
      '2026-03-10T12:00:00.000Z',
    ]);
  });

  it('gives a rolling range of N units N or N-1 buckets, each aligned and inside the range', () => {
    for (const [granularity, unit, n] of [
      ['minute', 60_000, 60],
      ['hour', HOUR, 24],
      ['day', DAY, 30],
    ] as const) {
      for (let shift = 0; shift < 5; shift++) {
        const to = new Date(now.getTime() + shift * 7_919_000);
        const range = { from: new Date(to.getTime() - n * unit), to };
        const starts = bucketStarts(range, granularity);
        expect([n - 1, n]).toContain(starts.length);
        for (const start of starts) {
          expect(floorToBucket(start, granularity)).toEqual(start);
          expect(start.getTime()).toBeGreaterThanOrEqual(range.from.getTime());
          expect(start.getTime()).toBeLessThan(range.to.getTime());
        }
      }
    }
  });
});

describe('datetime-local values', () => {
  it('reads and writes UTC to the minute', () => {
    expect(fromDateTimeLocal('2026-03-01T14:05')).toEqual(new Date('2026-03-01T14:05:00Z'));
    expect(fromDateTimeLocal('2026-03-01T14:05:30')).toEqual(new Date('2026-03-01T14:05:30Z'));
    expect(toDateTimeLocal(new Date('2026-03-01T14:05:59.999Z'))).toBe('2026-03-01T14:05');
  });

  it.each(['', '2026-02-30T10:00', '2026-03-01T24:00', '2026-03-01 10:00', '2026-13-01T10:00'])(
    'refuses %j',
    (value) => {
      expect(fromDateTimeLocal(value)).toBeUndefined();
    },
  );
});

describe('toApiRange and describeSpan', () => {
  it('sends RFC 3339 in UTC', () => {
    expect(toApiRange({ from: new Date('2026-03-01T00:00:00Z'), to: now })).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-10T12:34:56.789Z',
    });
  });

  it('names spans in their largest whole unit', () => {
    expect(describeSpan(DAY)).toBe('1 day');
    expect(describeSpan(31 * DAY)).toBe('31 days');
    expect(describeSpan(6 * HOUR)).toBe('6 hours');
    expect(describeSpan(90 * 60_000)).toBe('90 minutes');
  });
});
