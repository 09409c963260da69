import { OrgUsage } from '@metergate/policy';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';

/** What this replica remembers about one id (a request id or a call's usage event id), as bits. */
export const IdFlags = {
  /** The call was counted from an admission (ours or another replica's). */
  admitted: 1,
  /** The call's usage event was applied (its characters, and its call unless admitted). */
  usage: 2,
  /** Admitted here and published; its admission has not come back from Kafka yet. */
  own: 4,
  /** A check with this request id was answered here; bits 4-6 hold the reason code. */
  decided: 8,
  /** The usage event came before any admission and counted the call itself. */
  usageCalled: 128,
} as const;

const REASON_SHIFT = 4;

/**
 * One organization in memory: its usage and access, the ids it has seen recently, and the snapshot it
 * was loaded from. Ids live in two generations swapped every half retention, so each is kept between
 * half and one full retention without a timestamp per id.
 */
export class OrgEntry {
  readonly usage = new OrgUsage();
  lastUsedMs: number;
  /**
   * Partition and newest applied offset on the usage and admission topics (an organization has one
   * partition per topic); fields rather than arrays, as there are 100,000s of entries.
   */
  usagePartition = -1;
  usageOffset = -1;
  admittedPartition = -1;
  admittedOffset = -1;
  private ids?: Map<string, number>;
  private previousIds?: Map<string, number>;
  private rotatedMs: number;

  constructor(
    readonly orgId: string,
    /** Events of this org below these offsets are already in the usage it was loaded with. */
    readonly loadedFrom: SnapshotOffsets,
    /** False when the snapshot may miss events (pending buffer overflowed): answers count as stale. */
    readonly complete: boolean,
    /** RFC 3339 time the snapshot reflects, for an incomplete entry's `asOf`. */
    readonly snapshotAsOf: string,
    nowMs: number,
  ) {
    this.lastUsedMs = nowMs;
    this.rotatedMs = nowMs;
  }

  flags(id: string): number {
    return this.ids?.get(id) ?? this.previousIds?.get(id) ?? 0;
  }

  setFlags(id: string, flags: number): void {
    (this.ids ??= new Map()).set(id, flags);
  }

  /** Whether an admission made here still waits to come back from Kafka. */
  hasOwnInFlight(): boolean {
    for (const generation of [this.ids, this.previousIds]) {
      if (generation) for (const flags of generation.values()) if (flags & IdFlags.own) return true;
    }
    return false;
  }

  /** Drops ids older than the retention; own admissions not back from Kafka yet are kept. */
  rotateIds(nowMs: number, retentionMs: number): void {
    if (nowMs - this.rotatedMs < retentionMs / 2) return;
    this.rotatedMs = nowMs;
    const expiring = this.previousIds;
    this.previousIds = this.ids;
    this.ids = undefined;
    if (expiring) {
      for (const [id, flags] of expiring)
        if (flags & IdFlags.own && !this.previousIds?.has(id)) this.setFlags(id, flags);
    }
  }

  /**
   * Hands ids over to a reloaded entry. Own admissions not back yet lose their "counted" mark: the new
   * usage comes from the projection, which counts them when they arrive (or holds them already, in
   * which case their offset is below the new snapshot's and they are skipped).
   */
  transferIdsTo(next: OrgEntry): void {
    for (const generation of [this.previousIds, this.ids]) {
      if (!generation) continue;
      for (const [id, flags] of generation) {
        next.setFlags(id, flags & IdFlags.own ? flags & ~(IdFlags.own | IdFlags.admitted) : flags);
      }
    }
  }

  noteEvent(topic: number, partition: number, offset: number): void {
    if (topic === TopicIndex.usage) {
      this.usagePartition = partition;
      if (offset > this.usageOffset) this.usageOffset = offset;
    } else if (topic === TopicIndex.admitted) {
      this.admittedPartition = partition;
      if (offset > this.admittedOffset) this.admittedOffset = offset;
    }
  }
}

export const encodeDecided = (reasonCode: number): number => IdFlags.decided | (reasonCode << REASON_SHIFT);
export const decidedReasonCode = (flags: number): number => (flags >> REASON_SHIFT) & 7;
