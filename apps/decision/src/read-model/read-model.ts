import { CompiledPolicy, OrgAccess } from '@metergate/policy';
import { IdFlags, OrgEntry } from './org-entry';
import { CallFact, ProjectionSnapshot } from './org-snapshot';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';

export interface ReadModelOptions {
  stalenessThresholdMs: number;
  idleEvictionMs: number;
  maxOrgs: number;
  idRetentionMs: number;
  pendingEventsMax: number;
}

const EPOCH = new Date(0).toISOString();

/**
 * Every organization this replica answers for, in memory, and the events it has not placed yet.
 *
 * Consistency: an organization is loaded from a projection snapshot that holds exactly the events
 * below the projector's offsets; the events at or beyond them come from this replica's own consumer,
 * either applied directly (loaded organizations) or kept in `pending` until the organization is loaded
 * or the projection holds them. So snapshot + pending + what follows is every event exactly once,
 * whichever of the projector and this consumer is ahead. No I/O here: the sync service feeds it.
 */
export class ReadModel {
  private readonly entries = new Map<string, OrgEntry>();
  private readonly pending = new Map<string, CallFact[]>();
  private pendingCount = 0;
  /** Per partition, one beyond the newest event dropped from `pending` because it was full. */
  private readonly droppedUpTo = new SnapshotOffsets();
  /** Newest access state of organizations not in memory (few: one per access change). */
  private readonly pendingAccess = new Map<string, OrgAccess>();
  /** This replica's consumer: next offset per partition. */
  readonly positions = new SnapshotOffsets();
  /** Latest projector offsets seen; pending events below them are in the projection. */
  private projected = new SnapshotOffsets();
  private probes: { atMs: number; ends: SnapshotOffsets }[] = [];
  private caughtUpMs = 0;
  private asOfText = EPOCH;

  constructor(
    readonly policy: CompiledPolicy,
    private readonly options: ReadModelOptions,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get pendingEvents(): number {
    return this.pendingCount;
  }

  get(orgId: string): OrgEntry | undefined {
    return this.entries.get(orgId);
  }

  // ---- freshness -------------------------------------------------------------------------------

  /** Records the topics' ends as of `atMs`; once the consumer reaches them, the model is fresh as of then. */
  observeTopicEnds(ends: SnapshotOffsets, atMs: number): void {
    this.probes.push({ atMs, ends });
    if (this.probes.length > 1000) this.probes.shift();
    this.advanceFreshness();
  }

  /** Milliseconds since the newest moment the consumer had applied everything Kafka held. */
  stalenessMs(nowMs: number): number {
    return this.caughtUpMs === 0 ? Number.POSITIVE_INFINITY : Math.max(0, nowMs - this.caughtUpMs);
  }

  isStale(nowMs: number): boolean {
    return this.stalenessMs(nowMs) > this.options.stalenessThresholdMs;
  }

  /** RFC 3339 `asOf` of answers for an entry: the freshness point, or its snapshot's when incomplete. */
  asOf(entry: OrgEntry): string {
    return entry.complete ? this.asOfText : entry.snapshotAsOf;
  }

  private advanceFreshness(): void {
    let advanced = false;
    while (this.probes.length > 0 && this.positions.covers(this.probes[0].ends)) {
      this.caughtUpMs = this.probes.shift()!.atMs;
      advanced = true;
    }
    if (advanced) this.asOfText = new Date(this.caughtUpMs).toISOString();
  }

  // ---- events from the consumer ------------------------------------------------------------------

  applyCall(orgId: string, fact: CallFact, nowMs: number): void {
    const entry = this.entries.get(orgId);
    if (entry) this.applyToEntry(entry, fact, nowMs);
    if (!entry || !entry.complete) this.keepPending(orgId, fact);
  }

  applyAccess(orgId: string, access: OrgAccess): void {
    const entry = this.entries.get(orgId);
    if (entry) {
      entry.usage.applyAccess(access);
      return;
    }
    const held = this.pendingAccess.get(orgId);
    if (!held || held.version < access.version) this.pendingAccess.set(orgId, access);
  }

  /** The consumer finished a batch of a partition; `nextOffset` is one beyond its last message. */
  consumed(topic: TopicIndex, partition: number, nextOffset: number): void {
    this.positions.set(topic, partition, nextOffset);
    this.advanceFreshness();
  }

  private applyToEntry(entry: OrgEntry, fact: CallFact, nowMs: number): void {
    if (fact.offset < entry.loadedFrom.get(fact.topic, fact.partition)) return;
    entry.noteEvent(fact.topic, fact.partition, fact.offset);
    if (fact.endpoint < 0) return;
    const flags = entry.flags(fact.id);
    if (fact.topic === TopicIndex.admitted) {
      if (flags & IdFlags.own) {
        entry.setFlags(fact.id, flags & ~IdFlags.own);
        return;
      }
      if (flags & IdFlags.admitted) return;
      // As in the projector, the call is the admission's: a usage event that came first counted one
      // call, and the admission brings the count to its hits, whichever topic was read first.
      const countedByUsage = flags & IdFlags.usageCalled ? 1 : 0;
      entry.usage.recordCalls(fact.endpoint, fact.atMs, Math.max(0, fact.calls - countedByUsage));
      entry.setFlags(fact.id, flags | IdFlags.admitted);
      return;
    }
    if (flags & IdFlags.usage) return;
    entry.usage.recordChars(fact.endpoint, fact.chars);
    // Past the id retention an admission would be forgotten: a late usage event then adds characters
    // only, assuming (as every call through the gateway has) that its admission counted the call.
    if (!(flags & IdFlags.admitted) && fact.atMs >= nowMs - this.options.idRetentionMs) {
      entry.usage.recordCalls(fact.endpoint, fact.atMs, fact.calls);
      entry.setFlags(fact.id, flags | IdFlags.usage | IdFlags.usageCalled);
      return;
    }
    entry.setFlags(fact.id, flags | IdFlags.usage);
  }

  private keepPending(orgId: string, fact: CallFact): void {
    if (fact.offset < this.projected.get(fact.topic, fact.partition)) return;
    if (this.pendingCount >= this.options.pendingEventsMax) {
      if (fact.offset + 1 > this.droppedUpTo.get(fact.topic, fact.partition)) {
        this.droppedUpTo.set(fact.topic, fact.partition, fact.offset + 1);
      }
      return;
    }
    const list = this.pending.get(orgId);
    if (list) list.push(fact);
    else this.pending.set(orgId, [fact]);
    this.pendingCount += 1;
  }

  // ---- loading -----------------------------------------------------------------------------------

  /**
   * Installs an organization from a projection snapshot plus the pending events the snapshot does not
   * hold. Complete unless pending events it needs were dropped.
   */
  install(orgId: string, snapshot: ProjectionSnapshot, nowMs: number): OrgEntry {
    const complete = snapshot.offsets.covers(this.droppedUpTo);
    const entry = new OrgEntry(orgId, snapshot.offsets, complete, snapshot.asOf, nowMs);
    const rows = snapshot.orgs.get(orgId);
    if (rows) {
      for (const [endpoint, at, calls] of rows.seconds) entry.usage.loadMinuteBucket(endpoint, at, calls);
      for (const [endpoint, at, calls] of rows.minutes) entry.usage.loadDayBucket(endpoint, at, calls);
      for (const [endpoint, chars] of rows.chars) entry.usage.recordChars(endpoint, chars);
      if (rows.access) entry.usage.applyAccess(rows.access);
    }
    this.replace(orgId, entry, nowMs);
    return entry;
  }

  /**
   * An organization PostgreSQL could not be read for: answered from the events seen since this
   * replica started, and marked incomplete so that the stale policies apply until a reload succeeds.
   */
  installProvisional(orgId: string, nowMs: number): OrgEntry {
    const entry = new OrgEntry(orgId, new SnapshotOffsets(), false, EPOCH, nowMs);
    this.replace(orgId, entry, nowMs);
    return entry;
  }

  private replace(orgId: string, entry: OrgEntry, nowMs: number): void {
    const previous = this.entries.get(orgId);
    if (previous) {
      previous.transferIdsTo(entry);
      entry.lastUsedMs = previous.lastUsedMs;
    }
    const access = this.pendingAccess.get(orgId);
    if (access) entry.usage.applyAccess(access);
    if (previous?.usage.access) entry.usage.applyAccess(previous.usage.access);
    for (const fact of this.pending.get(orgId) ?? []) this.applyToEntry(entry, fact, nowMs);
    if (entry.complete) {
      this.pendingCount -= this.pending.get(orgId)?.length ?? 0;
      this.pending.delete(orgId);
      this.pendingAccess.delete(orgId);
    }
    this.entries.set(orgId, entry);
  }

  /** Organizations whose snapshot missed events and must be read again. */
  incompleteOrgs(): string[] {
    const ids: string[] = [];
    for (const [orgId, entry] of this.entries) if (!entry.complete) ids.push(orgId);
    return ids;
  }

  // ---- housekeeping ------------------------------------------------------------------------------

  /** Takes the projector's newest offsets: pending events it holds are dropped. */
  observeProjected(offsets: SnapshotOffsets): void {
    this.projected = offsets;
    for (const [orgId, facts] of this.pending) {
      const kept = facts.filter((f) => f.offset >= offsets.get(f.topic, f.partition));
      this.pendingCount -= facts.length - kept.length;
      if (kept.length === 0) this.pending.delete(orgId);
      else if (kept.length !== facts.length) this.pending.set(orgId, kept);
    }
  }

  /**
   * Forgets expired ids and evicts organizations idle for longer than allowed (or the least recently
   * used ones beyond the cap). Only an organization whose every applied event the projection already
   * holds is evicted, so reloading it later loses nothing; its access state is kept aside.
   */
  sweep(nowMs: number): number {
    let evicted = 0;
    const idleBefore = nowMs - this.options.idleEvictionMs;
    for (const [orgId, entry] of this.entries) {
      entry.rotateIds(nowMs, this.options.idRetentionMs);
      if (entry.lastUsedMs < idleBefore && this.evictable(entry)) {
        this.evict(orgId, entry);
        evicted += 1;
      }
    }
    const excess = this.entries.size - this.options.maxOrgs;
    if (excess > 0) {
      const oldest = [...this.entries.values()]
        .filter((e) => this.evictable(e))
        .sort((a, b) => a.lastUsedMs - b.lastUsedMs)
        .slice(0, excess);
      for (const entry of oldest) this.evict(entry.orgId, entry);
      evicted += oldest.length;
    }
    return evicted;
  }

  private evictable(entry: OrgEntry): boolean {
    if (!entry.complete || entry.hasOwnInFlight()) return false;
    const { usagePartition, usageOffset, admittedPartition, admittedOffset } = entry;
    if (usagePartition >= 0 && this.projected.get(TopicIndex.usage, usagePartition) <= usageOffset)
      return false;
    return (
      admittedPartition < 0 || this.projected.get(TopicIndex.admitted, admittedPartition) > admittedOffset
    );
  }

  private evict(orgId: string, entry: OrgEntry): void {
    this.entries.delete(orgId);
    if (entry.usage.access) this.pendingAccess.set(orgId, entry.usage.access);
  }
}
