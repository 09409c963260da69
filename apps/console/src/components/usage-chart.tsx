import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Granularity } from '../api/types';
import { formatAxisTime, formatCompact } from '../logic/format';
import type { ChartData } from '../logic/usage-chart';

/** Okabe and Ito's palette: told apart with the common colour-vision deficiencies. */
export const SERIES_COLORS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#6b6b6b',
  '#000000',
];

const HEIGHT = 260;

interface Props {
  data: ChartData;
  granularity: Granularity;
  /** What the chart shows, for screen readers (the canvas itself is hidden from them). */
  label: string;
}

/**
 * A uPlot line chart of usage over time, in UTC like the buckets. It is a picture for the eye only: the
 * same figures are in the table that goes with it.
 */
export function UsageChart({ data, granularity, label }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const shape = data.series.map((s) => s.label).join('\u0000');

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const plot = new uPlot(chartOptions(data, granularity, element.clientWidth), alignedData(data), element);
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = undefined;
    };
    // A new set of series (or granularity) needs a new chart; new figures for the same series do not.
  }, [shape, granularity]);

  useEffect(() => {
    chart.current?.setData(alignedData(data));
  }, [data]);

  return (
    <div class="chart" role="img" aria-label={label}>
      <div ref={container} aria-hidden="true" />
    </div>
  );
}

function alignedData(data: ChartData): uPlot.AlignedData {
  return [data.xs, ...data.series.map((s) => s.values)];
}

function chartOptions(data: ChartData, granularity: Granularity, width: number): uPlot.Options {
  return {
    width: Math.max(width, 200),
    height: HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    series: [
      { label: granularity === 'day' ? 'Day (UTC)' : 'Time (UTC)' },
      ...data.series.map((s, i) => ({
        label: s.label,
        stroke: SERIES_COLORS[i % SERIES_COLORS.length],
        width: 2,
        points: { show: data.xs.length <= 60 },
      })),
    ],
    axes: [
      { values: (_u, ticks) => ticks.map((t) => formatAxisTime(t, granularity)) },
      { size: 56, values: (_u, ticks) => ticks.map(formatCompact) },
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}
