import { InvalidEventError } from '@metergate/contracts';
import { inTransaction } from '@metergate/database';
import { ReadAgain } from '@metergate/messaging';
import { counter } from '@metergate/platform';
import { DataSource, EntityManager } from 'typeorm';
import { DeadLetter, countDeadLetters, writeDeadLetters } from '../dead-letters/dead-letter';
import { setAsideRecord } from '../dead-letters/set-aside';
import { checkBatchStart } from '../offsets/batch-start';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';
import { RawBatch, RawMessage } from '../offsets/raw-batch';
import { MeteredEvent, decodeMeteredEvents } from './usage-event.decoder';
import { UsageSql } from './usage.sql';

/**
 * What one newly counted event adds at its place. `calls` is 0 for a usage event whose call its admission
 * already counted, and -1 where a call moved away from; an admission's characters are always 0.
 */
interface CountedUsage {
  orgId: string;
  endpoint: string;
  userId: string;
  model: string;
  /** Epoch milliseconds of the call. */
  at: number;
  calls: number;
  inputChars: number;
  outputChars: number;
}

export interface BatchOutcome {
  /** Events that changed the aggregates. */
  counted: number;
  /** Events already counted before (client retries, redelivery after a crash). */
  duplicates: number;
  /** Messages below the stored offset: a redelivered batch. */
  skipped: number;
  /** Messages no projection can read, set aside in dead_letters. */
  invalid: number;
  /** Partitions fetched beyond their stored offset, not applied: to be read again from it. */
  readAgain: ReadAgain;
}

const countedEvents = counter({
  name: 'projector_events_counted_total',
  help: 'Events that changed the usage aggregates.',
  labelNames: ['role'] as const,
});

/**
 * Applies batches of one or more partitions in one PostgreSQL transaction: aggregates, dedupe marks and
 * each partition's next offset commit together or not at all. That is what makes a crash at any moment
 * harmless: what was committed is never applied again, and what was not is read again from Kafka. A
 * batch is applied only from its partition's stored offset (checkBatchStart): a commit PostgreSQL lost
 * in a crash is read again, never stepped over.
 */
export class UsageProjector {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groupId: string,
  ) {}

  /**
   * `batches` name each partition once, sorted by topic and partition (the order their offsets are
   * locked in). `clusterId` is stored with partitions seen for the first time.
   */
  async applyBatches(batches: RawBatch[], clusterId: string | null = null): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { counted: 0, duplicates: 0, skipped: 0, invalid: 0, readAgain: [] };
    if (batches.every((b) => b.messages.length === 0)) return outcome;
    const undecodable: DeadLetter[] = [];
    const result = await inTransaction(this.dataSource, async (tx) => {
      const stored = await tx.query<{ topic: string; partition: number; next_offset: string }[]>(
        PartitionOffsetsSql.lockAll,
        [this.groupId, batches.map((b) => b.topic), batches.map((b) => b.partition), clusterId],
      );
      const nextOffset = new Map(stored.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
      const events: MeteredEvent[] = [];
      const advanced: { topic: string; partition: number; next: string }[] = [];
      for (const batch of batches) {
        const { topic, partition } = batch;
        const start = checkBatchStart(this.groupId, nextOffset.get(`${topic}/${partition}`)!, batch);
        if (start.kind === 'read-again') {
          outcome.readAgain.push({ topic, partition, offset: start.from });
          continue;
        }
        outcome.skipped += start.skipped;
        if (start.fresh.length === 0) continue;
        advanced.push({
          topic,
          partition,
          next: (BigInt(start.fresh[start.fresh.length - 1].offset) + 1n).toString(),
        });
        for (const message of start.fresh) {
          try {
            events.push(...decodeMeteredEvents(message.value));
          } catch (error) {
            if (!(error instanceof InvalidEventError)) throw error;
            // No projection can read it: kept in dead_letters, and the partition goes on.
            undecodable.push({
              topic,
              partition,
              message,
              reason: 'undecodable',
              error,
              firstFailedAt: null,
            });
          }
        }
      }
      if (advanced.length === 0) return outcome;

      await writeDeadLetters(tx, this.groupId, undecodable);
      const { counted, vacated } = await this.markSeen(tx, events);
      outcome.counted = counted.length - vacated.length;
      outcome.duplicates = events.length - outcome.counted;
      outcome.invalid = undecodable.length;
      await this.addCountedAndSaveOffsets(tx, counted, advanced);
      if (vacated.length > 0) await this.dropEmptyRows(tx, vacated);
      return outcome;
    });
    countDeadLetters(undecodable);
    return result;
  }

  /** Sets aside one record PostgreSQL refused (see applySettingPoisonAside). */
  setAside(
    batch: RawBatch,
    message: RawMessage,
    error: unknown,
    firstFailedAt: Date,
    clusterId: string | null = null,
  ): Promise<ReadAgain> {
    return setAsideRecord(this.dataSource, this.groupId, clusterId, batch, message, error, firstFailedAt);
  }

  /**
   * Keeps the events whose (orgId, id) was not seen in their role, with the call counted once, at the
   * admission's place when there is an admission (moved there if its usage event came first).
   */
  private async markSeen(
    tx: EntityManager,
    events: MeteredEvent[],
  ): Promise<{ counted: CountedUsage[]; vacated: CountedUsage[] }> {
    const counted: CountedUsage[] = [];
    const vacated: CountedUsage[] = [];
    const usage = firstPerId(events, 'usage');
    if (usage.size > 0) {
      const list = [...usage.values()];
      const rows = await tx.query<{ org_id: string; event_id: string; call_already_counted: boolean }[]>(
        UsageSql.markUsageSeen,
        [
          list.map((e) => e.orgId),
          list.map((e) => e.id),
          list.map((e) => new Date(e.at).toISOString()),
          list.map((e) => e.endpoint),
          list.map((e) => e.userId),
          list.map((e) => e.model),
        ],
      );
      countedEvents.inc({ role: 'usage' }, rows.length);
      for (const row of rows) {
        const e = usage.get(idKey(row.org_id, row.event_id))!;
        counted.push({
          ...place(e),
          calls: row.call_already_counted ? 0 : e.calls,
          inputChars: e.inputChars,
          outputChars: e.outputChars,
        });
      }
    }
    const admissions = firstPerId(events, 'admission');
    if (admissions.size > 0) {
      const list = [...admissions.values()];
      const rows = await tx.query<
        {
          org_id: string;
          event_id: string;
          call_at: Date | null;
          call_endpoint: string | null;
          call_user: string | null;
          call_model: string | null;
        }[]
      >(UsageSql.markAdmissionSeen, [list.map((e) => e.orgId), list.map((e) => e.id)]);
      countedEvents.inc({ role: 'admission' }, rows.length);
      for (const row of rows) {
        const e = admissions.get(idKey(row.org_id, row.event_id))!;
        counted.push({ ...place(e), calls: e.calls, inputChars: 0, outputChars: 0 });
        if (row.call_at !== null) {
          const from = {
            orgId: e.orgId,
            endpoint: row.call_endpoint ?? '',
            userId: row.call_user ?? '',
            model: row.call_model ?? '',
            at: row.call_at.getTime(),
          };
          counted.push({ ...from, calls: -1, inputChars: 0, outputChars: 0 });
          vacated.push({ ...from, calls: 0, inputChars: 0, outputChars: 0 });
        }
      }
    }
    return { counted, vacated };
  }

  private async dropEmptyRows(tx: EntityManager, vacated: CountedUsage[]): Promise<void> {
    await tx.query(UsageSql.dropEmptyRows, [
      vacated.map((v) => v.orgId),
      vacated.map((v) => v.endpoint),
      vacated.map((v) => v.userId),
      vacated.map((v) => v.model),
      vacated.map((v) => new Date(v.at).toISOString()),
    ]);
  }

  private async addCountedAndSaveOffsets(
    tx: EntityManager,
    counted: CountedUsage[],
    advanced: { topic: string; partition: number; next: string }[],
  ): Promise<void> {
    await tx.query(UsageSql.addCountedAndSaveOffsets, [
      counted.map((c) => c.orgId),
      counted.map((c) => c.endpoint),
      counted.map((c) => c.userId),
      counted.map((c) => c.model),
      // ISO strings: pg would format a Date field by field in local time, a cost per event.
      counted.map((c) => new Date(c.at).toISOString()),
      counted.map((c) => c.calls),
      counted.map((c) => c.inputChars),
      counted.map((c) => c.outputChars),
      this.groupId,
      advanced.map((a) => a.topic),
      advanced.map((a) => a.partition),
      advanced.map((a) => a.next),
    ]);
  }
}

const idKey = (orgId: string, id: string) => `${orgId}\u0000${id}`;

/** The first event of each (orgId, id) in this role, in key order (rows are locked in that order). */
function firstPerId(events: MeteredEvent[], role: MeteredEvent['role']): Map<string, MeteredEvent> {
  const firsts = new Map<string, MeteredEvent>();
  for (const e of events) {
    const key = idKey(e.orgId, e.id);
    if (e.role === role && !firsts.has(key)) firsts.set(key, e);
  }
  return new Map([...firsts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function place(e: MeteredEvent): Pick<CountedUsage, 'orgId' | 'endpoint' | 'userId' | 'model' | 'at'> {
  return { orgId: e.orgId, endpoint: e.endpoint, userId: e.userId, model: e.model, at: e.at };
}
