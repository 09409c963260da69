import type { OutgoingMessage } from '../event-publisher';

/** A record as a consumer on the Kafka thread hands it over: its offset and its value as text. */
export interface ThreadRecord {
  offset: string;
  value: string | null;
}

/**
 * One partition's batch, without the records the consumer was told to pass over; `nextOffset` is where
 * the partition stands after it, passed-over records included.
 */
export interface ThreadBatch {
  topic: string;
  partition: number;
  records: ThreadRecord[];
  nextOffset: number;
}

export interface ThreadConsumerOptions {
  groupId: string;
  /**
   * The group is this consumer's alone: each start joins a group of its own (`groupId` and a random
   * suffix), so that a consumer started again after its thread died need not wait for the dead one's
   * session to time out before it gets the partitions.
   */
  ownGroup?: boolean;
  topics: string[];
  fromBeginning: boolean;
  maxWaitTimeInMs?: number;
  commitIntervalMs?: number;
  /**
   * Where each partition starts, whenever it is assigned (topic → offsets by partition); a partition
   * without one starts where the group or `fromBeginning` says.
   */
  startAt?: Record<string, number[]>;
  /** Records of this topic whose header `header` has the value `value` are passed over. */
  passOver?: { topic: string; header: string; value: string };
}

export type LogLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

/** What the app's thread asks of the Kafka thread. */
export type ToKafkaThread =
  | { kind: 'publish'; id: number; topic: string; messages: OutgoingMessage[] }
  | { kind: 'consume'; id: number; options: ThreadConsumerOptions }
  | { kind: 'applied'; id: number; error?: string }
  | { kind: 'stop-consumer'; id: number }
  | { kind: 'close' };

/** What the Kafka thread tells the app's thread. */
export type FromKafkaThread =
  | { kind: 'published'; id: number; error?: string }
  | { kind: 'batch'; id: number; consumer: number; batch: ThreadBatch }
  | { kind: 'consumer-stopped'; id: number }
  | { kind: 'log'; level: LogLevel; context: string; message: unknown }
  | { kind: 'closed' };

/** What the Kafka thread needs of the app's configuration. */
export interface KafkaThreadSettings {
  KAFKA_CLIENT_ID: string;
  KAFKA_BROKERS: string[];
}
