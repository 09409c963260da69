import { counter, gauge } from '@metergate/platform';

export const ReadModelMetrics = {
  staleness: gauge({
    name: 'decision_read_model_staleness_seconds',
    help: 'Seconds since this replica last had applied everything Kafka held (-1: never yet).',
  }),
  stale: gauge({ name: 'decision_read_model_stale', help: '1 while the stale failure policies apply.' }),
  orgs: gauge({ name: 'decision_orgs_in_memory', help: 'Organizations in memory.' }),
  pendingEvents: gauge({
    name: 'decision_pending_events',
    help: 'Events kept for organizations not in memory until the projection holds them.',
  }),
  loads: counter({
    name: 'decision_org_loads_total',
    help: 'Organizations loaded from PostgreSQL, by outcome.',
    labelNames: ['outcome'] as const,
  }),
  evictions: counter({ name: 'decision_org_evictions_total', help: 'Organizations evicted from memory.' }),
  badEvents: counter({
    name: 'decision_invalid_events_total',
    help: 'Events skipped because they did not decode.',
    labelNames: ['topic'] as const,
  }),
};
