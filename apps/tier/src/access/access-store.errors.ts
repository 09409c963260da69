/** Another command on the same organization committed first; this one decided on a stale state. */
export class ConcurrentChangeError extends Error {
  constructor(
    readonly orgId: string,
    readonly version: number,
  ) {
    super(
      `organization ${orgId} was changed by another command at the same time (version ${version}); reload and try again`,
    );
    this.name = 'ConcurrentChangeError';
  }
}

/**
 * PostgreSQL is not reachable yet (the app connects in the background at start). Thrown by every reader
 * of the tier app's database, the event store and the analysts' queries alike, so that one filter answers
 * 503 for all.
 */
export class StoreUnavailableError extends Error {
  constructor() {
    super('the access event store is not reachable right now; try again shortly');
    this.name = 'StoreUnavailableError';
  }
}
