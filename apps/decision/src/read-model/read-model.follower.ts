import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  CALL_RELEASED,
  decodeCallAdmissions,
  decodeCallReleasedV1,
  decodeJson,
  decodeUsageRecordedV1,
  isObject,
} from '@metergate/contracts';
import { KafkaClient, ManagedConsumer, PartitionBatch } from '@metergate/messaging';
import { DecisionConfig } from '../decision.config';
import { ReplicaIdentity } from '../replica-identity';
import { decodeAccessEvent } from './access-event.decoder';
import { Place } from './call-counter';
import { checkFingerprint, packAnswer } from './check-answer';
import { ReadModel } from './read-model';
import { ReadModelMetrics } from './read-model.metrics';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';

type Message = PartitionBatch['messages'][number];

const FETCH_WAIT_MS = 500;

/**
 * This replica's own consumer of the three topics (its own group, so every replica reads every
 * partition), from where the snapshot stands: events at or beyond the projector's offsets are counted;
 * the few minutes before them are read first only to learn their ids (the snapshot holds their
 * effects), so that retries and late events after a restart are still recognized.
 */
@Injectable()
export class ReadModelFollower {
  private readonly logger = new Logger(ReadModelFollower.name);
  private readonly topicIndex: Map<string, TopicIndex>;
  readonly topicNames: string[];
  private consumer?: ManagedConsumer;
  /** Below these offsets, events are in the snapshot: learnt, not counted. */
  private countFrom = new SnapshotOffsets();
  private startAt = new SnapshotOffsets();

  constructor(
    private readonly model: ReadModel,
    private readonly kafka: KafkaClient,
    private readonly config: DecisionConfig,
    private readonly replica: ReplicaIdentity,
  ) {
    this.topicNames = [config.USAGE_TOPIC, config.CALLS_ADMITTED_TOPIC, config.ACCESS_EVENTS_TOPIC];
    this.topicIndex = new Map(this.topicNames.map((name, i) => [name, i as TopicIndex]));
  }

  /** Starts consuming at `startAt`, counting from `countFrom` on (both per topic and partition). */
  start(startAt: SnapshotOffsets, countFrom: SnapshotOffsets): void {
    this.startAt = startAt;
    this.countFrom = countFrom;
    for (const [topic, partitions] of startAt.byTopic.entries()) {
      partitions.forEach((offset, partition) => this.model.freshness.positions.set(topic, partition, offset));
    }
    this.consumer = new ManagedConsumer(this.kafka, {
      groupId: `${this.config.DECISION_GROUP_PREFIX}.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}`,
      topics: this.topicNames,
      fromBeginning: true,
      // The broker answers a fetch as soon as a record arrives, so this bounds only how long a fetch
      // waits while nothing does: at 20 ms an idle replica kept a tenth of a core busy, and as much of
      // the broker's, fetching nothing 50 times a second.
      maxWaitTimeInMs: FETCH_WAIT_MS,
      // The group is this process's alone and never resumed from (resumePositions places every start),
      // so a commit after each batch would only put broker round trips between fetches.
      commitIntervalMs: 60_000,
      handleBatch: async (batch) => this.applyBatch(batch),
      resumePositions: async (assigned) =>
        assigned.map(({ topic, partition }) => ({
          topic,
          partition,
          offset: String(this.startAt.get(this.topicIndex.get(topic)!, partition)),
        })),
    });
    this.consumer.start();
    this.model.following = true;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  private async applyBatch(batch: PartitionBatch): Promise<void> {
    const topic = this.topicIndex.get(batch.topic);
    if (topic === undefined) return;
    const now = Date.now();
    const countFrom = this.countFrom.get(topic, batch.partition);
    for (const message of batch.messages) {
      // This process's own admissions and releases were counted when it made them.
      if (topic === TopicIndex.admitted && this.replica.isOwn(message.headers)) continue;
      const offset = Number(message.offset);
      this.apply(topic, batch.partition, offset, message, offset >= countFrom, now);
    }
    const last = batch.messages[batch.messages.length - 1];
    this.model.freshness.consumed(topic, batch.partition, Number(last.offset) + 1);
  }

  private apply(
    topic: TopicIndex,
    partition: number,
    offset: number,
    message: Message,
    count: boolean,
    now: number,
  ): void {
    try {
      const raw = decodeJson(message.value);
      const position = { topic, partition, offset };
      const model = this.model;
      const policy = model.policy;
      switch (topic) {
        case TopicIndex.usage: {
          const event = decodeUsageRecordedV1(raw);
          const p = event.payload;
          const at: Place = {
            endpoint: policy.indexOf(p.endpoint),
            slot: policy.modelSlot(p.model),
            atMs: Date.parse(event.occurredAt),
          };
          const fact = { kind: 'usage' as const, at, chars: p.inputChars + p.outputChars };
          if (!count) return model.counter.learn(p.orgId, event.id, fact, now);
          const row = model.rowFor(p.orgId);
          if (row >= 0) model.counter.applyFact(row, p.orgId, event.id, fact, position, now);
          return;
        }
        case TopicIndex.admitted: {
          if (isObject(raw) && raw.type === CALL_RELEASED) {
            const released = decodeCallReleasedV1(raw);
            const row = model.orgs.rowOf(released.payload.orgId);
            if (count && row >= 0) model.counter.release(row, released.payload.orgId, released.id, now);
            return;
          }
          // A v2 record's admissions all share its offset.
          for (const event of decodeCallAdmissions(raw)) {
            const p = event.payload;
            const atMs = Date.parse(event.occurredAt);
            const fact = {
              kind: 'admission' as const,
              at: { endpoint: policy.indexOf(p.endpoint), slot: policy.modelSlot(p.model), atMs },
              hits: p.hits,
              ...(p.chars !== undefined && {
                reserve: { chars: p.chars, untilMs: Date.parse(p.reservedUntil!) },
              }),
            };
            const answer = packAnswer(
              checkFingerprint(p.endpoint, p.model, p.userId, p.hits, p.chars ?? 0),
              0,
            );
            if (!count) {
              model.counter.learn(p.orgId, event.id, fact, now, answer);
              continue;
            }
            const row = model.rowFor(p.orgId);
            if (row >= 0) model.counter.applyFact(row, p.orgId, event.id, fact, position, now, answer);
          }
          return;
        }
        case TopicIndex.access: {
          const { orgId, access } = decodeAccessEvent(raw);
          model.applyAccess(orgId, access);
          return;
        }
      }
    } catch (error) {
      // A malformed event must not stop the replica: it is skipped and counted, as the projector does.
      ReadModelMetrics.badEvents.inc({ topic: this.topicNames[topic] });
      this.logger.warn(
        `skipped ${this.topicNames[topic]}[${partition}]@${offset}: ${(error as Error).message}`,
      );
    }
  }
}
