import { Counter, Gauge, register } from 'prom-client';

/** Metrics live in prom-client's default registry, once per process (tests boot several apps in one). */
function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const ReadModelMetrics = {
  staleness: once(
    'decision_read_model_staleness_seconds',
    () =>
      new Gauge({
        name: 'decision_read_model_staleness_seconds',
        help: 'Seconds since this replica last had applied everything Kafka held (-1: never yet).',
      }),
  ),
  stale: once(
    'decision_read_model_stale',
    () => new Gauge({ name: 'decision_read_model_stale', help: '1 while the stale failure policies apply.' }),
  ),
  orgs: once(
    'decision_orgs_in_memory',
    () => new Gauge({ name: 'decision_orgs_in_memory', help: 'Organizations in memory.' }),
  ),
  pendingEvents: once(
    'decision_pending_events',
    () =>
      new Gauge({
        name: 'decision_pending_events',
        help: 'Events kept for organizations not in memory until the projection holds them.',
      }),
  ),
  loads: once(
    'decision_org_loads_total',
    () =>
      new Counter({
        name: 'decision_org_loads_total',
        help: 'Organizations loaded from PostgreSQL, by outcome.',
        labelNames: ['outcome'] as const,
      }),
  ),
  evictions: once(
    'decision_org_evictions_total',
    () => new Counter({ name: 'decision_org_evictions_total', help: 'Organizations evicted from memory.' }),
  ),
  badEvents: once(
    'decision_invalid_events_total',
    () =>
      new Counter({
        name: 'decision_invalid_events_total',
        help: 'Events skipped because they did not decode.',
        labelNames: ['topic'] as const,
      }),
  ),
};
