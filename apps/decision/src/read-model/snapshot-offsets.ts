/** Topic indexes of the three streams the read model follows. */
export const TopicIndex = { usage: 0, admitted: 1, access: 2 } as const;
export type TopicIndex = (typeof TopicIndex)[keyof typeof TopicIndex];

/**
 * Next offset per partition for each topic index, e.g. the projector's committed positions: the events
 * below them are in the projection tables. A missing partition means 0 (nothing of it projected).
 */
export class SnapshotOffsets {
  constructor(readonly byTopic: number[][] = [[], [], []]) {}

  get(topic: number, partition: number): number {
    return this.byTopic[topic][partition] ?? 0;
  }

  set(topic: number, partition: number, offset: number): void {
    this.byTopic[topic][partition] = offset;
  }

  /** Whether every position here is at or beyond the matching one in `other`. */
  covers(other: SnapshotOffsets): boolean {
    return other.byTopic.every((partitions, topic) =>
      partitions.every((offset, partition) => offset === undefined || this.get(topic, partition) >= offset),
    );
  }
}
