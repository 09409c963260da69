import { Counter, Metric, Registry, register } from 'prom-client';

/**
 * Metrics for the paths that run on every request. prom-client checks and hashes a metric's labels on
 * every `inc` and `observe`, even through a child from `labels()`; on the decision routes that was a few
 * percent of the CPU. Here a series is bound once to its labels and counted in plain numbers, and the
 * registry reads them when scraped: the exposition is the one prom-client writes for the same counts.
 */
export interface CounterSeries {
  inc(by?: number): void;
}

export interface HistogramSeries {
  observe(value: number): void;
}

type Labels<L extends string> = Record<L, string>;

const seriesKey = (labelNames: readonly string[], labels: Record<string, string>) =>
  labelNames.map((name) => labels[name]).join('\u0000');

/** A counter series' labels and what it counted since the registry last collected it. */
interface PendingCount {
  labels: Record<string, string>;
  count: number;
}

/** Per registry and metric name: two apps booted in one process (tests) bind the same series. */
const pendingCounts = new WeakMap<Registry, Map<string, Map<string, PendingCount>>>();

function pendingOf(registry: Registry, name: string): { series: Map<string, PendingCount>; fresh: boolean } {
  let byName = pendingCounts.get(registry);
  if (!byName) {
    byName = new Map<string, Map<string, PendingCount>>();
    pendingCounts.set(registry, byName);
  }
  const known = byName.get(name);
  if (known) return { series: known, fresh: false };
  const series = new Map<string, PendingCount>();
  byName.set(name, series);
  return { series, fresh: true };
}

/**
 * A prom-client Counter whose series count in plain numbers and hand their counts over when the
 * registry collects.
 */
export function boundCounter<L extends string>(
  config: { name: string; help: string; labelNames: readonly L[] },
  registry: Registry = register,
): { labels(labels: Labels<L>): CounterSeries } {
  const { series, fresh } = pendingOf(registry, config.name);
  if (fresh && !registry.getSingleMetric(config.name)) {
    new Counter<L>({
      ...config,
      registers: [registry],
      collect() {
        for (const s of series.values()) {
          if (s.count === 0) continue;
          this.inc(s.labels as Labels<L>, s.count);
          s.count = 0;
        }
      },
    });
  }
  return {
    labels(labels) {
      const key = seriesKey(config.labelNames, labels);
      let pending = series.get(key);
      if (!pending) {
        pending = { labels: { ...labels }, count: 0 };
        series.set(key, pending);
      }
      const bound = pending;
      return {
        inc: (by = 1) => {
          bound.count += by;
        },
      };
    },
  };
}

/** What prom-client's registry reads of a metric (its typings name only its own metric classes). */
interface Exposition {
  name: string;
  help: string;
  type: 'histogram';
  values: { labels: Record<string, string | number>; value: number; metricName: string }[];
  aggregator: 'sum';
}

interface HistogramCounts {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative), the last one above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** A histogram in prom-client's registry, its series bound once (the `le` of a bucket is inclusive). */
class BoundHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, HistogramCounts>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    private readonly buckets: readonly number[],
  ) {}

  labels(labels: Labels<L>): HistogramSeries {
    const key = seriesKey(this.labelNames, labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: { ...labels }, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const bound = s;
    const buckets = this.buckets;
    return {
      observe(value: number) {
        let i = 0;
        while (i < buckets.length && value > buckets[i]) i += 1;
        bound.counts[i] += 1;
        bound.sum += value;
        bound.count += 1;
      },
    };
  }

  get(): Promise<Exposition> {
    const values: Exposition['values'] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i];
        values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    });
  }

  reset(): void {
    this.series.clear();
  }
}

/** A histogram whose series observe with plain arithmetic; registered once per registry and name. */
export function boundHistogram<L extends string>(
  config: { name: string; help: string; labelNames: readonly L[]; buckets: readonly number[] },
  registry: Registry = register,
): { labels(labels: Labels<L>): HistogramSeries } {
  const existing = registry.getSingleMetric(config.name) as unknown as BoundHistogram<L> | undefined;
  if (existing) return existing;
  const histogram = new BoundHistogram(config.name, config.help, config.labelNames, config.buckets);
  // The registry asks a metric only for its name, get() and reset().
  registry.registerMetric(histogram as unknown as Metric);
  return histogram;
}
