import { parseRfc3339 } from './rfc3339';

describe('parseRfc3339', () => {
  it.each([
    ['UTC with Z', '2026-03-03T11:59:00Z', '2026-03-03T11:59:00.000Z'],
    ['an offset', '2026-03-03T13:59:00+02:00', '2026-03-03T11:59:00.000Z'],
    ['the unknown-offset form', '2026-03-03T11:59:00-00:00', '2026-03-03T11:59:00.000Z'],
    ['the largest offset', '2026-03-03T23:59:00+23:59', '2026-03-03T00:00:00.000Z'],
    ['nine digits of fraction', '2026-03-03T11:59:00.123456789Z', '2026-03-03T11:59:00.123Z'],
    ['lower-case t and z', '2026-03-03t11:59:00z', '2026-03-03T11:59:00.000Z'],
    ['a space for T', '2026-03-03 11:59:00Z', '2026-03-03T11:59:00.000Z'],
    ['a leap day', '2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['the leap day of a year divisible by 400', '2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['the leap day of year 0', '0000-02-29T00:00:00Z', '0000-02-29T00:00:00.000Z'],
    ['the last second of a year', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %s', (_name, value, instant) => {
    expect(parseRfc3339(value)).toBe(Date.parse(instant));
  });

  it.each([
    ['a day February does not have', '2026-02-30T12:00:00Z'],
    ['February 29 of a common year', '2026-02-29T12:00:00Z'],
    ['February 29 of a century that is not a leap year', '2100-02-29T12:00:00Z'],
    ['April 31', '2026-04-31T12:00:00Z'],
    ['day 0', '2026-03-00T12:00:00Z'],
    ['month 0', '2026-00-10T12:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-03-02T24:00:00Z'],
    ['minute 60', '2026-03-03T11:60:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['an offset of 24 hours', '2026-03-03T11:59:00+24:00'],
    ['an offset of 60 minutes', '2026-03-03T11:59:00+01:60'],
    ['no offset', '2026-03-03T11:59:00'],
    ['a date alone', '2026-03-03'],
    ['ten digits of fraction', '2026-03-03T11:59:00.1234567890Z'],
    ['a five-digit year', '+10000-01-01T00:00:00Z'],
    ['a trailing newline', '2026-03-03T11:59:00Z\n'],
    ['epoch milliseconds', 1_772_539_140_000],
    ['a Date', new Date(0)],
  ])('refuses %s', (_name, value) => {
    expect(parseRfc3339(value)).toBeUndefined();
  });
});
