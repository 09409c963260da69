import { Metric, Registry, register } from 'prom-client';

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

/** What prom-client's registry reads of a metric (its typings name only its own metric classes). */
interface Exposition {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: { labels: Record<string, string | number>; value: number; metricName?: string }[];
  aggregator: 'sum';
}

/**
 * A metric in prom-client's registry whose series are kept by their label values; the registry asks
 * it only for its name, get() and reset().
 */
abstract class BoundMetric<L extends string, S extends { labels: Labels<L> }> {
  abstract readonly type: Exposition['type'];
  readonly aggregator = 'sum';
  protected readonly series = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
  ) {}

  protected seriesOf(labels: Labels<L>, create: (labels: Labels<L>) => S): S {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = create({ ...labels });
      this.series.set(key, s);
    }
    return s;
  }

  protected abstract values(): Exposition['values'];

  get(): Promise<Exposition> {
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, values: this.values(), aggregator });
  }

  reset(): void {
    this.series.clear();
  }
}

interface Count<L extends string> {
  labels: Labels<L>;
  count: number;
}

class BoundCounter<L extends string> extends BoundMetric<L, Count<L>> {
  readonly type = 'counter';

  labels(labels: Labels<L>): CounterSeries {
    const s = this.seriesOf(labels, (own) => ({ labels: own, count: 0 }));
    return {
      inc(by = 1) {
        s.count += by;
      },
    };
  }

  // As prom-client: a series shows once it has counted something.
  protected values(): Exposition['values'] {
    return [...this.series.values()]
      .filter((s) => s.count > 0)
      .map((s) => ({ labels: s.labels, value: s.count }));
  }
}

interface Observations<L extends string> {
  labels: Labels<L>;
  /** Observations per bucket (not cumulative), the last one above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** The `le` of a bucket is inclusive, as in prom-client. */
class BoundHistogram<L extends string> extends BoundMetric<L, Observations<L>> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly L[],
    private readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames);
  }

  labels(labels: Labels<L>): HistogramSeries {
    const buckets = this.buckets;
    const s = this.seriesOf(labels, (own) => ({
      labels: own,
      counts: new Float64Array(buckets.length + 1),
      sum: 0,
      count: 0,
    }));
    return {
      observe(value: number) {
        let i = 0;
        while (i < buckets.length && value > buckets[i]) i += 1;
        s.counts[i] += 1;
        s.sum += value;
        s.count += 1;
      },
    };
  }

  protected values(): Exposition['values'] {
    const values: Exposition['values'] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i];
        values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: bucket });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return values;
  }
}

/** Registered once per registry and name: two apps booted in one process (tests) share the metric. */
function once<M>(registry: Registry, name: string, create: () => M): M {
  const existing = registry.getSingleMetric(name) as unknown as M | undefined;
  if (existing) return existing;
  const metric = create();
  registry.registerMetric(metric as unknown as Metric);
  return metric;
}

/** A counter whose series count in plain numbers. */
export function boundCounter<L extends string>(
  config: { name: string; help: string; labelNames: readonly L[] },
  registry: Registry = register,
): { labels(labels: Labels<L>): CounterSeries } {
  return once(registry, config.name, () => new BoundCounter(config.name, config.help, config.labelNames));
}

/** A histogram whose series observe with plain arithmetic. */
export function boundHistogram<L extends string>(
  config: { name: string; help: string; labelNames: readonly L[]; buckets: readonly number[] },
  registry: Registry = register,
): { labels(labels: Labels<L>): HistogramSeries } {
  return once(
    registry,
    config.name,
    () => new BoundHistogram(config.name, config.help, config.labelNames, config.buckets),
  );
}
