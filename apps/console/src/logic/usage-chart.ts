import type { GroupBy, UsagePoint } from '../api/types';

export type ChartMetric = 'calls' | 'chars';

export interface ChartSeries {
  label: string;
  values: number[];
  total: number;
}

export interface ChartData {
  /** Bucket starts in Unix seconds, as uPlot reads its x axis. */
  xs: number[];
  series: ChartSeries[];
  total: number;
}

export interface UsageRow {
  bucket: string;
  group?: string;
  calls: number;
  inputChars: number;
  outputChars: number;
}

/** Beyond this many series a chart is unreadable; the smallest are summed as "other". */
export const MAX_SERIES = 8;

export function metricOf(
  point: Pick<UsagePoint, 'calls' | 'inputChars' | 'outputChars'>,
  metric: ChartMetric,
) {
  return metric === 'calls' ? point.calls : point.inputChars + point.outputChars;
}

/** The name of the group a point belongs to; calls that named no user or model are grouped together. */
export function groupOf(point: UsagePoint, groupBy: GroupBy | undefined): string {
  switch (groupBy) {
    case undefined:
      return 'all';
    case 'endpoint':
      return point.endpoint ?? '(no endpoint)';
    case 'user':
      return point.userId ?? '(no user)';
    case 'model':
      return point.model ?? '(no model)';
  }
}

/**
 * One series per group over every bucket of the range (zero where the API left a bucket out), largest
 * group first; groups past MAX_SERIES are summed into "other". Points outside the buckets are ignored.
 */
export function usageChartData(
  points: UsagePoint[],
  buckets: Date[],
  groupBy: GroupBy | undefined,
  metric: ChartMetric,
): ChartData {
  const index = new Map(buckets.map((start, i) => [start.getTime(), i]));
  const byGroup = new Map<string, number[]>();
  for (const point of points) {
    const i = index.get(new Date(point.bucket).getTime());
    if (i === undefined) continue;
    const group = groupOf(point, groupBy);
    let values = byGroup.get(group);
    if (!values) {
      values = buckets.map(() => 0);
      byGroup.set(group, values);
    }
    values[i] += metricOf(point, metric);
  }
  const ranked = [...byGroup.entries()]
    .map(([label, values]) => ({ label, values, total: sum(values) }))
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  const series =
    ranked.length <= MAX_SERIES
      ? ranked
      : [...ranked.slice(0, MAX_SERIES - 1), mergeAs('other', ranked.slice(MAX_SERIES - 1), buckets.length)];
  return {
    xs: buckets.map((start) => start.getTime() / 1000),
    series,
    total: sum(series.map((s) => s.total)),
  };
}

/** The figures behind a chart, as the API gave them: by bucket, then group. */
export function usageRows(points: UsagePoint[], groupBy: GroupBy | undefined): UsageRow[] {
  return points
    .map((point) => ({
      bucket: point.bucket,
      ...(groupBy !== undefined && { group: groupOf(point, groupBy) }),
      calls: point.calls,
      inputChars: point.inputChars,
      outputChars: point.outputChars,
    }))
    .sort((a, b) => a.bucket.localeCompare(b.bucket) || (a.group ?? '').localeCompare(b.group ?? ''));
}

function mergeAs(label: string, series: ChartSeries[], length: number): ChartSeries {
  const values = Array.from({ length }, (_, i) => sum(series.map((s) => s.values[i])));
  return { label, values, total: sum(values) };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
