import { CompiledPolicy } from '@metergate/policy';
import { HeldAccess } from './access-event.decoder';
import { CallCounter } from './call-counter';
import { Freshness } from './freshness';
import { IdMemory } from './id-memory';
import { AccessView, OrgDirectory } from './org-directory';
import { Reservations } from './reservations';
import { UsageStore } from './usage-store';

export interface ReadModelOptions {
  stalenessThresholdMs: number;
  maxOrgs: number;
  idCapacity: number;
  idRetentionMs: number;
  maxReservations: number;
  maxUncertainFacts: number;
}

/**
 * Everything this replica answers from, in memory and complete: every organization the projection
 * knew when the replica started (its access, totals and recent window buckets), and everything Kafka
 * has carried since. An organization it does not know is on the default tier with nothing used. No
 * I/O here: the loader and the Kafka follower feed it.
 */
export class ReadModel {
  orgs!: OrgDirectory;
  usage!: UsageStore;
  counter!: CallCounter;
  readonly freshness: Freshness;
  /** Set once the snapshot is installed: before that, answers are provisional (stale). */
  loaded = false;
  /** Set once the consumer follows Kafka from the snapshot's positions: only then can it be fresh. */
  following = false;
  /** Access states of organizations the directory had no room for: applied if room frees up. */
  untracked = 0;

  constructor(
    readonly policy: CompiledPolicy,
    private readonly options: ReadModelOptions,
    startedMs: number,
  ) {
    this.freshness = new Freshness(options.stalenessThresholdMs);
    this.reset(startedMs);
  }

  /**
   * Starts over empty (before a snapshot is loaded, or again after a failed load). Ids seen before
   * `knownSinceMs` are unknown to the id memory.
   */
  reset(knownSinceMs: number): void {
    this.loaded = false;
    this.following = false;
    this.orgs = new OrgDirectory(this.options.maxOrgs);
    this.usage = new UsageStore(this.policy);
    this.counter = new CallCounter(
      this.policy,
      this.usage,
      new IdMemory(
        { capacity: this.options.idCapacity, retentionMs: this.options.idRetentionMs },
        knownSinceMs,
      ),
      new Reservations(this.usage, this.options.maxReservations),
      this.options.maxUncertainFacts,
      (orgId) => this.orgs.rowOf(orgId),
    );
  }

  get size(): number {
    return this.orgs.size;
  }

  isStale(nowMs: number): boolean {
    return !this.loaded || !this.following || this.freshness.isStale(nowMs);
  }

  stalenessMs(nowMs: number): number {
    return this.loaded && this.following ? this.freshness.stalenessMs(nowMs) : Number.POSITIVE_INFINITY;
  }

  /** The organization's row, made if new; -1 (and counted) when the directory is full. */
  rowFor(orgId: string): number {
    const row = this.orgs.ensure(orgId);
    if (row < 0) this.untracked += 1;
    return row;
  }

  /** rowFor() of an id read as bytes, buffer[start, end). */
  rowForBytes(buffer: Buffer, start: number, end: number): number {
    const row = this.orgs.ensureBytes(buffer, start, end);
    if (row < 0) this.untracked += 1;
    return row;
  }

  access(row: number): AccessView | undefined {
    return this.orgs.accessOf(row);
  }

  applyAccess(orgId: string, access: HeldAccess): void {
    const row = this.rowFor(orgId);
    if (row >= 0) this.orgs.applyAccess(row, access, () => orgId);
  }

  /** Time-driven housekeeping: emptied windows, ended reservations, ids past their retention. */
  sweep(nowMs: number): void {
    this.usage.sweep(nowMs);
    this.counter.reservations.expire(nowMs);
    this.counter.ids.expire(nowMs);
  }
}
