import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';

const EPOCH = new Date(0).toISOString();
const MAX_PROBES = 1000;

/**
 * How up to date this replica is: its consumer's position per partition against the topics' ends as
 * Kafka reported them at probe times. Once the consumer holds everything a probe saw, the replica is
 * fresh as of that probe.
 */
export class Freshness {
  /** This replica's consumer: next offset per partition. */
  readonly positions = new SnapshotOffsets();
  private probes: { atMs: number; ends: SnapshotOffsets }[] = [];
  private caughtUpMs = 0;
  private asOfText = EPOCH;

  constructor(private readonly thresholdMs: number) {}

  /** Records the topics' ends as of `atMs`; once the consumer reaches them, the model is fresh as of then. */
  observeTopicEnds(ends: SnapshotOffsets, atMs: number): void {
    this.probes.push({ atMs, ends });
    if (this.probes.length > MAX_PROBES) this.probes.shift();
    this.advance();
  }

  /** The consumer finished a batch of a partition; `nextOffset` is one beyond its last message. */
  consumed(topic: TopicIndex, partition: number, nextOffset: number): void {
    this.positions.set(topic, partition, nextOffset);
    this.advance();
  }

  /** Milliseconds since the newest moment the consumer had applied everything Kafka held. */
  stalenessMs(nowMs: number): number {
    return this.caughtUpMs === 0 ? Number.POSITIVE_INFINITY : Math.max(0, nowMs - this.caughtUpMs);
  }

  isStale(nowMs: number): boolean {
    return this.stalenessMs(nowMs) > this.thresholdMs;
  }

  /** RFC 3339 time of the newest moment answers reflect everything Kafka held. */
  get asOf(): string {
    return this.asOfText;
  }

  private advance(): void {
    let advanced = false;
    while (this.probes.length > 0 && this.positions.covers(this.probes[0].ends)) {
      this.caughtUpMs = this.probes.shift()!.atMs;
      advanced = true;
    }
    if (advanced) this.asOfText = new Date(this.caughtUpMs).toISOString();
  }
}
