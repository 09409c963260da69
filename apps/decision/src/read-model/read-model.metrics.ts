import { counter, gauge } from '@metergate/platform';

/** The read model's metrics: freshness, and the size of every bounded structure next to its bound. */
export const ReadModelMetrics = {
  staleness: gauge({
    name: 'decision_read_model_staleness_seconds',
    help: 'Seconds since this replica last had applied everything Kafka held (-1: never yet).',
  }),
  stale: gauge({ name: 'decision_read_model_stale', help: '1 while the stale failure policies apply.' }),
  snapshotSeconds: gauge({
    name: 'decision_snapshot_load_seconds',
    help: 'How long loading the projection took at start.',
  }),
  orgs: gauge({ name: 'decision_orgs_in_memory', help: 'Organizations known (bound: DECISION_MAX_ORGS).' }),
  activeOrgs: gauge({ name: 'decision_orgs_active', help: 'Organizations with usage in some window.' }),
  untrackedOrgs: gauge({
    name: 'decision_orgs_untracked',
    help: 'Organizations not counted because DECISION_MAX_ORGS was reached (answered as new ones).',
  }),
  ids: gauge({ name: 'decision_ids_in_memory', help: 'Request and call ids remembered.' }),
  idCapacity: gauge({ name: 'decision_ids_capacity', help: 'Ids the memory holds at most.' }),
  idsDroppedEarly: gauge({
    name: 'decision_ids_dropped_early',
    help: 'Ids forgotten before the dedupe retention because the id memory was full.',
  }),
  idHorizon: gauge({
    name: 'decision_id_memory_horizon_seconds',
    help: 'Seconds of ids the memory holds for sure; older unknown ids are checked against the projection.',
  }),
  reservations: gauge({ name: 'decision_reservations_open', help: 'Open reservations.' }),
  reservationsDropped: gauge({
    name: 'decision_reservations_dropped',
    help: 'Reservations of other replicas not held because DECISION_MAX_RESERVATIONS was reached.',
  }),
  uncertain: gauge({
    name: 'decision_uncertain_facts',
    help: 'Events with an id the memory may have forgotten, waiting to be checked against the projection.',
  }),
  uncertainDropped: gauge({
    name: 'decision_uncertain_facts_dropped',
    help: 'Uncertain events left counted as new because DECISION_MAX_UNCERTAIN_FACTS was reached.',
  }),
  duplicatesTakenBack: counter({
    name: 'decision_duplicates_taken_back_total',
    help: 'Uncertain events the projection showed to be duplicates, taken back.',
  }),
  badEvents: counter({
    name: 'decision_invalid_events_total',
    help: 'Events skipped because they did not decode.',
    labelNames: ['topic'] as const,
  }),
};
