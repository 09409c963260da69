/**
 * A DELETE of at most $2 rows of `table` that match `aged` (which reads $1): PeriodicPruning repeats it
 * until it deletes fewer, so that each statement stays far inside the statement timeout however much
 * has aged out (one DELETE of everything, cancelled at the timeout, would leave twice as much for the
 * next run). The rows are picked by their physical address, the cheapest way to delete what a query
 * found.
 */
export const pruneAged = (table: string, aged: string) =>
  `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${aged} LIMIT $2))`;
