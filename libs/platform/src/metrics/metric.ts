import {
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  register,
} from 'prom-client';

/**
 * The one way a metric is declared: in prom-client's default registry, once per process. Tests boot
 * several apps (and the same app twice) in one process, where a second registration would throw.
 */
function once<M>(name: string, create: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

export function counter<L extends string = string>(config: CounterConfiguration<L>): Counter<L> {
  return once(config.name, () => new Counter(config));
}

export function gauge<L extends string = string>(config: GaugeConfiguration<L>): Gauge<L> {
  return once(config.name, () => new Gauge(config));
}

export function histogram<L extends string = string>(config: HistogramConfiguration<L>): Histogram<L> {
  return once(config.name, () => new Histogram(config));
}
