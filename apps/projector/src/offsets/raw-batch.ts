/** A record as the projections read it from Kafka. */
export interface RawMessage {
  offset: string;
  value: Buffer | null;
  key?: Buffer | null;
  /** Kafka's timestamp, epoch milliseconds. */
  timestamp?: string;
}

/** Consecutive records of one partition, as ManagedConsumer hands them over (see PartitionBatch). */
export interface RawBatch {
  topic: string;
  partition: number;
  messages: RawMessage[];
  /** Where the batch was fetched from: nothing between it and the first message was passed over. */
  fetchedOffset: string;
  /** The partition's end when fetched. */
  highWatermark: string;
}

/** The messages `from` (inclusive) to `to` (exclusive) of a batch, fetched as far as they are concerned just after the one before. */
export function sliceBatch(batch: RawBatch, from: number, to: number): RawBatch {
  return {
    ...batch,
    messages: batch.messages.slice(from, to),
    fetchedOffset:
      from === 0 ? batch.fetchedOffset : (BigInt(batch.messages[from - 1].offset) + 1n).toString(),
  };
}
