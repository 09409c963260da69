import { Logger } from '@nestjs/common';
import { Backoff } from '@metergate/platform';
import { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { KafkaClient } from './kafka-client';

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  highWatermark: string;
  /**
   * The offset the batch was fetched from: every record from it up to the last message is in
   * `messages`, save transaction markers and aborted records (which Metergate's producers never write).
   * A batch fetched beyond where the app stands means records were passed over in between.
   */
  fetchedOffset: string;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read. */
  offset: string;
}

/**
 * What a handler returns for partitions it did not apply because the consumer stands elsewhere than the
 * app's own store (records were passed over): each is read again from the offset given, instead of
 * moving past the batch.
 */
export type ReadAgain = TopicPartitionOffset[];

export type ConsumerOptions = {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /** Where to resume each newly assigned partition, when the app keeps its own offsets. */
  resumePositions?(assigned: { topic: string; partition: number }[]): Promise<TopicPartitionOffset[]>;
  partitionsConsumedConcurrently?: number;
  maxWaitTimeInMs?: number;
  /**
   * For apps whose own store says what was applied: Kafka learns of applied offsets in the background,
   * at most this often, instead of after every batch. The broker serves a connection's requests in
   * turn, so a commit per batch puts one round trip per partition between a fetch and the next; a new
   * owner of a partition starts at most this long behind and skips what its store already holds.
   */
  commitIntervalMs?: number;
} & (
  | {
      /** Applies one partition's batch. Throwing means "not applied": the batch is retried with backoff. */
      handleBatch(batch: PartitionBatch): Promise<void | ReadAgain>;
    }
  | {
      /**
       * Applies in one call the batches that a fetch handed out at once (one per partition, up to
       * partitionsConsumedConcurrently), so that the app can apply them in one transaction instead of
       * one per partition. Throwing means "none applied": each batch is retried with backoff.
       */
      handleBatches(batches: PartitionBatch[]): Promise<void | ReadAgain>;
    }
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A consumer-group member that survives what production throws at it: the broker down at start
 * (connects with backoff instead of crashing), a failing handler (pauses on that batch and retries with
 * backoff, heartbeating so the group does not rebalance), and a crashed kafkajs runner (rebuilt).
 */
export class ManagedConsumer {
  private consumer?: Consumer;
  private stopping = false;
  private signalStop!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.signalStop = resolve));
  private running?: Promise<void>;
  private readonly logger: Logger;
  private assignedAt = 0;
  private assigned: { topic: string; partition: number }[] = [];
  private committing = false;
  private gathered: {
    batch: PartitionBatch;
    applied(readAgain: ReadAgain): void;
    failed(error: unknown): void;
  }[] = [];

  constructor(
    private readonly client: KafkaClient,
    private readonly options: ConsumerOptions,
  ) {
    this.logger = new Logger(`consumer:${options.groupId}`);
  }

  start(): void {
    this.running ??= this.superviseLoop();
  }

  /** Lets the batch in hand finish, then leaves the group so partitions move at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    await this.consumer?.disconnect().catch(() => undefined);
    await this.running;
  }

  /**
   * Moves every partition this member holds to where resumePositions says it stands now: for an app
   * whose own store of positions was changed behind the consumer's back (offsets realigned by an admin).
   */
  async reposition(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || !this.options.resumePositions || this.assigned.length === 0) return;
    const positions = await this.options.resumePositions(this.assigned);
    if (consumer === this.consumer) positions.forEach((p) => consumer.seek(p));
  }

  private async superviseLoop(): Promise<void> {
    const backoff = new Backoff(250, 10_000);
    while (!this.stopping) {
      let delay: number;
      try {
        const { crashed } = await this.runOnce();
        backoff.reset();
        await Promise.race([crashed, this.stopped]);
        delay = backoff.next();
      } catch (error) {
        delay = backoff.next();
        this.logger.warn(`consumer not running (${(error as Error).message}); retrying in ${delay} ms`);
      }
      await this.consumer?.disconnect().catch(() => undefined);
      this.consumer = undefined;
      if (this.stopping) break;
      await Promise.race([sleep(delay), this.stopped]);
    }
  }

  /**
   * Resolves once running, with a promise that settles when the runner crashes for good (wrapped: an
   * async function returning a bare promise would wait for it).
   */
  private async runOnce(): Promise<{ crashed: Promise<void> }> {
    const consumer = this.client.consumerKafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      // Longer than any query may take (query_timeout 12 s), short enough that a crashed member's
      // partitions move on within seconds.
      sessionTimeout: 20_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 100,
      retry: { retries: 5, initialRetryTime: 300 },
    });
    this.consumer = consumer;
    const crashed = new Promise<void>((resolve) => {
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) resolve();
      });
    });
    if (this.options.resumePositions) {
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        const joinedAt = (this.assignedAt = Date.now());
        const assigned = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((partition) => ({ topic, partition })),
        );
        this.assigned = assigned;
        // A seek here can race the first fetch; correctness does not rest on it (handlers skip what they
        // already applied), it only spares re-reading from the group's committed offset. So positions
        // that arrive once the consumer has rejoined, stopped or is restarting (kafkajs then holds no
        // group, and seek throws) are dropped.
        this.options.resumePositions!(assigned)
          .then((positions) => {
            if (joinedAt !== this.assignedAt || consumer !== this.consumer || this.stopping) return;
            positions.forEach((p) => consumer.seek(p));
          })
          .catch((error: Error) =>
            this.logger.warn(`could not resume from looked-up positions: ${error.message}`),
          );
      });
    }
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning });
    await consumer.run({
      autoCommit: this.options.commitIntervalMs === undefined,
      autoCommitInterval: this.options.commitIntervalMs,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    return { crashed };
  }

  private async eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const backoff = new Backoff(100, 5_000);
    // kafkajs's Batch keeps the offset it was fetched from, though its type does not say so.
    const { fetchedOffset } = batch as typeof batch & { fetchedOffset: string };
    for (;;) {
      // Leaving without resolving the offset: whoever owns the partition next reads the batch again.
      if (this.stopping || !isRunning() || isStale()) return;
      try {
        const readAgain = await this.handle({
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages,
          highWatermark: batch.highWatermark,
          fetchedOffset: String(fetchedOffset),
        });
        const from = readAgain?.find((r) => r.topic === batch.topic && r.partition === batch.partition);
        if (from) {
          this.logger.warn(
            `${batch.topic}[${batch.partition}] was fetched from ${fetchedOffset}, the app stands at ${from.offset}: reading again from there`,
          );
          this.consumer?.seek(from);
          return;
        }
        break;
      } catch (error) {
        const delay = backoff.next();
        this.logger.warn(
          `batch ${batch.topic}[${batch.partition}] failed (${(error as Error).message}); retrying in ${delay} ms`,
        );
        await Promise.race([sleep(delay), this.stopped]);
        await heartbeat().catch(() => undefined);
      }
    }
    resolveOffset(batch.lastOffset());
    if (this.options.commitIntervalMs !== undefined && !this.committing) {
      // One commit at a time, whichever partition's batch is done first: it carries every resolved offset.
      this.committing = true;
      commitOffsetsIfNecessary()
        .catch((error: Error) => this.logger.warn(`could not commit offsets to Kafka: ${error.message}`))
        .finally(() => (this.committing = false));
    }
    await heartbeat();
  }

  private handle(batch: PartitionBatch): Promise<void | ReadAgain> {
    const options = this.options;
    if ('handleBatch' in options) return options.handleBatch(batch);
    // kafkajs hands a fetch's batches to its workers in one synchronous loop, so every batch of the
    // fetch is gathered by the time this callback runs.
    if (this.gathered.length === 0) setImmediate(() => this.handleGathered(options.handleBatches));
    return new Promise<ReadAgain>((applied, failed) => this.gathered.push({ batch, applied, failed }));
  }

  private handleGathered(handleBatches: (batches: PartitionBatch[]) => Promise<void | ReadAgain>): void {
    const gathered = this.gathered;
    this.gathered = [];
    handleBatches(gathered.map((g) => g.batch)).then(
      (readAgain) => gathered.forEach((g) => g.applied(readAgain ?? [])),
      (error: unknown) => gathered.forEach((g) => g.failed(error)),
    );
  }
}
