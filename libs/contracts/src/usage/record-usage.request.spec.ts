import { isRecentTimestamp } from './record-usage.request';

const now = Date.parse('2026-03-03T12:00:00Z');

describe('isRecentTimestamp', () => {
  it.each([
    ['UTC with Z', '2026-03-03T11:59:00Z'],
    ['an offset', '2026-03-03T13:59:00+02:00'],
    ['fractions of a second', '2026-03-03T11:59:00.123456Z'],
    ['the last day of February', '2026-02-28T12:00:00Z'],
  ])('accepts %s', (_name, value) => {
    expect(isRecentTimestamp(value, now)).toBe(true);
  });

  it.each([
    ['a day February does not have', '2026-02-30T12:00:00Z'],
    ['hour 24', '2026-03-02T24:00:00Z'],
    ['minute 60', '2026-03-03T11:60:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['no offset', '2026-03-03T11:59:00'],
    ['a date alone', '2026-03-03'],
    ['more than 7 days ago', '2026-02-24T11:59:00Z'],
    ['more than 5 minutes ahead', '2026-03-03T12:05:01Z'],
    ['not a string', 1_772_539_140_000],
  ])('refuses %s', (_name, value) => {
    expect(isRecentTimestamp(value, now)).toBe(false);
  });
});
