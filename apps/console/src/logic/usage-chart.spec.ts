import type { UsagePoint } from '../api/types';
import { MAX_SERIES, groupOf, metricOf, usageChartData, usageRows } from './usage-chart';

const hours = ['2026-03-10T10:00:00.000Z', '2026-03-10T11:00:00.000Z', '2026-03-10T12:00:00.000Z'].map(
  (iso) => new Date(iso),
);
const point = (bucket: string, extra: Partial<UsagePoint>): UsagePoint => ({
  bucket,
  calls: 1,
  inputChars: 10,
  outputChars: 5,
  ...extra,
});

describe('usageChartData', () => {
  it('puts each group on every bucket of the range, zero where the API left a bucket out', () => {
    const data = usageChartData(
      [
        point('2026-03-10T10:00:00.000Z', { endpoint: 'generate', calls: 4 }),
        point('2026-03-10T12:00:00.000Z', { endpoint: 'generate', calls: 2 }),
        point('2026-03-10T11:00:00.000Z', { endpoint: 'embed', calls: 1 }),
      ],
      hours,
      'endpoint',
      'calls',
    );
    expect(data).toEqual({
      xs: hours.map((d) => d.getTime() / 1000),
      series: [
        { label: 'generate', values: [4, 0, 2], total: 6 },
        { label: 'embed', values: [0, 1, 0], total: 1 },
      ],
      total: 7,
    });
  });

  it('counts characters as input plus output', () => {
    const data = usageChartData(
      [point('2026-03-10T11:00:00Z', { inputChars: 100, outputChars: 20 })],
      hours,
      undefined,
      'chars',
    );
    expect(data.series).toEqual([{ label: 'all', values: [0, 120, 0], total: 120 }]);
  });

  it('groups calls that named no user or model together', () => {
    const data = usageChartData(
      [
        point('2026-03-10T10:00:00Z', { userId: null }),
        point('2026-03-10T11:00:00Z', { userId: null }),
        point('2026-03-10T11:00:00Z', { userId: 'alice' }),
      ],
      hours,
      'user',
      'calls',
    );
    expect(data.series.map((s) => [s.label, s.total])).toEqual([
      ['(no user)', 2],
      ['alice', 1],
    ]);
  });

  it('sums the smallest groups past MAX_SERIES into "other", keeping the total', () => {
    const points = Array.from({ length: MAX_SERIES + 3 }, (_, i) =>
      point('2026-03-10T10:00:00Z', { model: `m${i}`, calls: i + 1 }),
    );
    const data = usageChartData(points, hours, 'model', 'calls');
    expect(data.series).toHaveLength(MAX_SERIES);
    expect(data.series[0].label).toBe(`m${MAX_SERIES + 2}`);
    expect(data.series.at(-1)).toEqual({ label: 'other', values: [1 + 2 + 3 + 4, 0, 0], total: 10 });
    expect(data.total).toBe(points.reduce((sum, p) => sum + p.calls, 0));
  });

  it('ignores points outside the buckets of the range', () => {
    const data = usageChartData([point('2026-03-10T09:00:00Z', {})], hours, undefined, 'calls');
    expect(data).toMatchObject({ series: [], total: 0 });
  });
});

describe('usageRows', () => {
  it('keeps the API figures, ordered by bucket then group', () => {
    const rows = usageRows(
      [
        point('2026-03-10T11:00:00Z', { endpoint: 'generate' }),
        point('2026-03-10T10:00:00Z', { endpoint: 'generate', calls: 3 }),
        point('2026-03-10T10:00:00Z', { endpoint: 'embed' }),
      ],
      'endpoint',
    );
    expect(rows.map((r) => [r.bucket, r.group, r.calls])).toEqual([
      ['2026-03-10T10:00:00Z', 'embed', 1],
      ['2026-03-10T10:00:00Z', 'generate', 3],
      ['2026-03-10T11:00:00Z', 'generate', 1],
    ]);
  });

  it('has no group column when not split', () => {
    expect(usageRows([point('2026-03-10T10:00:00Z', {})], undefined)[0]).not.toHaveProperty('group');
  });
});

describe('groups and metrics', () => {
  it('names groups and reads metrics', () => {
    expect(groupOf(point('x', { model: null }), 'model')).toBe('(no model)');
    expect(groupOf(point('x', { endpoint: 'embed' }), undefined)).toBe('all');
    expect(metricOf({ calls: 2, inputChars: 3, outputChars: 4 }, 'chars')).toBe(7);
  });
});
