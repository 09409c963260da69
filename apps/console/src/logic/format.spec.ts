import {
  formatAxisTime,
  formatBucket,
  formatCompact,
  formatCount,
  formatDateTime,
  formatLimit,
  formatPercent,
  formatRelative,
  humanize,
} from './format';

describe('formatCount and formatCompact', () => {
  it('groups thousands in whole figures', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('shortens large figures for axes', () => {
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(12_345)).toBe('12.3K');
    expect(formatCompact(1_500_000)).toBe('1.5M');
  });
});

describe('formatPercent', () => {
  it('shows one decimal below 10% and whole percents above', () => {
    expect(formatPercent(0.0468)).toBe('4.7%');
    expect(formatPercent(0.2468)).toBe('25%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });

  it('never shows a share that is not zero as 0%', () => {
    expect(formatPercent(0.000_01)).toBe('<0.1%');
  });

  it('shows a dash for a share of nothing', () => {
    expect(formatPercent(Number.NaN)).toBe('–');
  });
});

describe('times, in UTC like the buckets', () => {
  it('shows a day bucket as its date and an hour or minute bucket to the minute', () => {
    expect(formatBucket('2026-03-01T00:00:00Z', 'day')).toBe('2026-03-01');
    expect(formatBucket('2026-03-01T14:00:00.000Z', 'hour')).toBe('2026-03-01 14:00');
    expect(formatBucket('2026-03-01T23:59:00+00:00', 'minute')).toBe('2026-03-01 23:59');
  });

  it('reads a time with an offset as the same instant in UTC', () => {
    expect(formatDateTime('2026-03-01T01:30:00+02:00')).toBe('2026-02-28 23:30 UTC');
  });

  it('tells how long ago in the largest whole unit', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(formatRelative('2026-03-10T11:59:30Z', now)).toBe('just now');
    expect(formatRelative('2026-03-10T11:59:00Z', now)).toBe('1 minute ago');
    expect(formatRelative('2026-03-10T09:10:00Z', now)).toBe('2 hours ago');
    expect(formatRelative('2026-03-07T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative('2026-03-10T12:05:00Z', now)).toBe('in 5 minutes');
  });
});

describe('formatAxisTime', () => {
  const seconds = (iso: string) => new Date(iso).getTime() / 1000;
  it('labels hours and minutes in UTC, and the date where a day starts', () => {
    expect(formatAxisTime(seconds('2026-03-01T14:05:00Z'), 'minute')).toBe('14:05');
    expect(formatAxisTime(seconds('2026-03-01T14:00:00+02:00'), 'hour')).toBe('12:00');
    expect(formatAxisTime(seconds('2026-03-02T00:00:00Z'), 'hour')).toBe('03-02');
    expect(formatAxisTime(seconds('2026-03-02T00:00:00Z'), 'day')).toBe('03-02');
  });
});

describe('formatLimit', () => {
  it('tells the tier default, no cap and a cap apart', () => {
    expect(formatLimit(undefined)).toBe('tier default');
    expect(formatLimit(null)).toBe('no cap');
    expect(formatLimit(250_000)).toBe('250,000');
    expect(formatLimit(0)).toBe('0');
  });
});

describe('humanize', () => {
  it('reads a deny reason as words', () => {
    expect(humanize('model_not_allowed')).toBe('model not allowed');
  });
});
