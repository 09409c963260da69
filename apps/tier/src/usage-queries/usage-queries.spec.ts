import 'reflect-metadata';
import { AccessPolicy } from '@metergate/policy';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toCsv, wantsCsv } from './csv';
import { policyQuotaRows } from './policy-quotas';
import { UsageSeriesRequest } from './get-org-usage/get-org-usage.request';
import { TopUsageRequest } from './top-usage/top-usage.request';
import { seriesRange, topRange } from './usage-range';

const now = new Date('2026-03-10T12:00:00Z');

describe('seriesRange', () => {
  it('defaults to the last hour of minutes, the last day of hours, the last 30 days of days', () => {
    expect(seriesRange(undefined, undefined, 'minute', now)).toEqual({
      range: { from: new Date('2026-03-10T11:00:00Z'), to: now },
    });
    expect(seriesRange(undefined, undefined, 'hour', now)).toEqual({
      range: { from: new Date('2026-03-09T12:00:00Z'), to: now },
    });
    expect(seriesRange(undefined, '2026-03-01T00:00:00Z', 'day', now)).toEqual({
      range: { from: new Date('2026-01-30T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') },
    });
  });

  it('accepts exactly the largest range and names it when exceeded', () => {
    expect(seriesRange('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', 'minute', now)).toHaveProperty(
      'range',
    );
    expect(seriesRange('2026-03-01T00:00:00Z', '2026-03-02T00:00:01Z', 'minute', now)).toEqual({
      maxRange: 'P1D',
      problems: [
        {
          field: 'to',
          message: 'the range from from to to may span at most 1 day (P1D) for granularity=minute',
        },
      ],
    });
    expect(seriesRange('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z', 'hour', now)).toMatchObject({
      maxRange: 'P31D',
    });
  });

  it('refuses an empty or inverted range', () => {
    expect(seriesRange('2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z', 'day', now)).toMatchObject({
      problems: [{ field: 'from', message: 'from must be before to' }],
    });
    expect(seriesRange('2026-03-02T02:00:00+02:00', '2026-03-01T23:30:00Z', 'day', now)).toMatchObject({
      problems: [{ field: 'from' }],
    });
  });
});

describe('from and to', () => {
  const invalidFields = (dto: new () => object, query: Record<string, string>) =>
    validateSync(plainToInstance(dto, query)).map((e) => e.property);

  it.each([
    ['a day February does not have', { from: '2026-02-30T00:00:00Z', to: '2026-03-03T00:00:00Z' }, ['from']],
    ['hour 24', { from: '2026-03-02T00:00:00Z', to: '2026-03-02T24:00:00Z' }, ['to']],
    ['minute 60 and month 13', { from: '2026-03-02T00:60:00Z', to: '2026-13-02T00:00:00Z' }, ['from', 'to']],
    ['no offset', { from: '2026-03-02T00:00:00' }, ['from']],
  ])('are refused naming the field for %s, by both queries', (_name, query, fields) => {
    expect(invalidFields(UsageSeriesRequest, query)).toEqual(fields);
    expect(invalidFields(TopUsageRequest, query)).toEqual(fields);
  });

  it('are accepted as any real RFC 3339 time with an offset', () => {
    const query = { from: '2028-02-29T23:00:00-01:00', to: '2028-03-01t01:00:00.5z' };
    expect(invalidFields(UsageSeriesRequest, query)).toEqual([]);
    expect(seriesRange(query.from, query.to, 'minute', now)).toEqual({
      range: { from: new Date('2028-03-01T00:00:00Z'), to: new Date('2028-03-01T01:00:00.500Z') },
    });
  });

  it('are never rolled over into another day when resolved', () => {
    expect(seriesRange('2026-02-30T00:00:00Z', '2026-03-03T00:00:00Z', 'day', now)).toMatchObject({
      problems: [{ field: 'from' }],
    });
  });
});

describe('topRange', () => {
  it('allows a year and defaults to the last day', () => {
    expect(topRange('2025-03-10T12:00:00Z', undefined, now)).toHaveProperty('range');
    expect(topRange('2025-03-08T12:00:00Z', undefined, now)).toMatchObject({ maxRange: 'P366D' });
    expect(topRange(undefined, undefined, now)).toEqual({
      range: { from: new Date('2026-03-09T12:00:00Z'), to: now },
    });
  });
});

describe('toCsv', () => {
  it('writes a header row and one line per row, quoting what needs it', () => {
    const csv = toCsv<{ a: string; b: number | null }>(
      ['a', 'b'],
      [
        { a: 'plain', b: 1 },
        { a: 'with, comma "and quotes"', b: null },
      ],
    );
    expect(csv).toBe('a,b\r\nplain,1\r\n"with, comma ""and quotes""",\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(toCsv<{ a: string }>(['a'], [{ a: '=HYPERLINK("x")' }, { a: '-1+1' }])).toBe(
      `a\r\n"'=HYPERLINK(""x"")"\r\n"'-1+1"\r\n`,
    );
  });
});

describe('wantsCsv', () => {
  it.each([
    ['text/csv', true],
    ['application/json, text/csv;q=0.9', true],
    ['text/csv; charset=utf-8', true],
    ['application/json', false],
    [undefined, false],
    ['text/csvx', false],
  ])('%s -> %s', (accept, expected) => expect(wantsCsv(accept)).toBe(expected));
});

describe('policyQuotaRows', () => {
  it('lists every tier, marks the default, and each lifetime character quota of every call with its tier', () => {
    const quota = {
      name: 'generate_chars',
      endpoints: ['generate'],
      limit: 500_000,
      unit: 'chars' as const,
      window: 'lifetime' as const,
    };
    const policy: AccessPolicy = {
      version: 1,
      defaultTier: 'trial',
      endpoints: ['generate', 'embed'],
      models: ['small'],
      reservationTtlSeconds: 600,
      tiers: {
        trial: {
          name: 'trial',
          endpoints: ['generate'],
          // The view sums usage_lifetime, which has no model: a quota of some models is not its to show.
          limits: [quota, { ...quota, name: 'small_chars', models: ['small'] }],
          models: [],
        },
        production: { name: 'production', endpoints: [], limits: [], models: [] },
      },
    };
    expect(policyQuotaRows(policy)).toEqual({
      tiers: [
        { tier: 'production', isDefault: false },
        { tier: 'trial', isDefault: true },
      ],
      quotas: [{ tier: 'trial', quotaName: 'generate_chars', endpoints: ['generate'], limitChars: 500_000 }],
    });
  });
});
