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
import { CallRecord, countCall } from '@metergate/policy';
import { CallPlace, MeteredEvent, decodeMeteredEvents } from './usage-event.decoder';
import { UsageSql } from './usage.sql';

/**
 * What one newly counted event adds at its place. `calls` is 0 for a usage event whose call its admission
 * already counted, and -1 where a call moved away from; an admission's characters are always 0.
 */
interface CountedUsage extends CallPlace {
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
      const events: (MeteredEvent & { offset: number })[] = [];
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
            const offset = Number(message.offset);
            for (const event of decodeMeteredEvents(message.value)) events.push({ ...event, offset });
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
      const { counted, vacated, changed } = await this.countCalls(tx, events);
      outcome.counted = changed;
      outcome.duplicates = events.length - changed;
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
   * Counts each call once by the one rule every store applies (countCall, libs/policy): the calls'
   * records are locked, each fact of the batch is applied to its call's record in the order read, and
   * what changed is written back with the units to add at each place, the reservations opened and
   * settled, and where a call's usage and admission were first counted.
   */
  private async countCalls(
    tx: EntityManager,
    events: (MeteredEvent & { offset: number })[],
  ): Promise<{ counted: CountedUsage[]; vacated: CountedUsage[]; changed: number }> {
    const counted: CountedUsage[] = [];
    const vacated: CountedUsage[] = [];
    if (events.length === 0) return { counted, vacated, changed: 0 };
    const ids = [...new Map(events.map((e) => [idKey(e.orgId, e.id), e])).values()].sort(byId);
    const keys = [ids.map((e) => e.orgId), ids.map((e) => e.id)];
    await tx.query(UsageSql.ensureCalls, keys);
    const rows = await tx.query<CallRow[]>(UsageSql.lockCalls, keys);
    const calls = new Map(rows.map((row) => [idKey(row.org_id, row.event_id), callOf(row)]));

    const opened: { orgId: string; id: string; at: CallPlace; chars: number; untilMs: number }[] = [];
    const settled: { orgId: string; id: string }[] = [];
    let changed = 0;
    for (const event of events) {
      const call = calls.get(idKey(event.orgId, event.id))!;
      const outcome = countCall<CallPlace>(call.record, event.fact);
      if (outcome.unchanged) continue;
      changed += 1;
      call.record = outcome.record;
      call.changed = true;
      countedEvents.inc({ role: event.fact.kind });
      for (const effect of outcome.effects) {
        const chars = effect.chars === 0 ? { inputChars: 0, outputChars: 0 } : event;
        counted.push({
          ...effect.at,
          calls: effect.calls,
          inputChars: chars.inputChars,
          outputChars: chars.outputChars,
        });
        if (effect.calls < 0) vacated.push({ ...effect.at, calls: 0, inputChars: 0, outputChars: 0 });
      }
      if (event.fact.kind === 'usage') {
        call.usageOffset ??= event.offset;
        call.usageCountedCall ??= outcome.effects[0].calls > 0;
      }
      if (event.fact.kind === 'admission') call.admissionOffset ??= event.offset;
      if (outcome.opened) opened.push({ orgId: event.orgId, id: event.id, ...outcome.opened });
      if (outcome.settled) settled.push({ orgId: event.orgId, id: event.id });
    }
    await this.saveCalls(
      tx,
      [...calls.entries()].filter(([, c]) => c.changed),
    );
    if (settled.length > 0) {
      await tx.query(UsageSql.settleReservations, [settled.map((r) => r.orgId), settled.map((r) => r.id)]);
    }
    if (opened.length > 0) {
      await tx.query(UsageSql.openReservations, [
        opened.map((r) => r.orgId),
        opened.map((r) => r.id),
        opened.map((r) => r.at.endpoint),
        opened.map((r) => r.at.model),
        opened.map((r) => r.chars),
        opened.map((r) => new Date(r.at.at).toISOString()),
        opened.map((r) => new Date(r.untilMs).toISOString()),
      ]);
    }
    return { counted, vacated, changed };
  }

  private async saveCalls(tx: EntityManager, calls: [string, Call][]): Promise<void> {
    if (calls.length === 0) return;
    // A changed call has a record: countCall made one.
    const records = calls.map(([key, call]) => ({ key: key.split('\u0000'), call, record: call.record! }));
    const at = (r: (typeof records)[number]) => r.record.calledAt;
    await tx.query(UsageSql.saveCalls, [
      records.map((r) => r.key[0]),
      records.map((r) => r.key[1]),
      records.map((r) => r.record.usage),
      records.map((r) => r.record.admitted),
      records.map((r) => r.record.released === true),
      records.map((r) => (at(r) ? new Date(at(r)!.at).toISOString() : null)),
      records.map((r) => at(r)?.endpoint ?? null),
      records.map((r) => at(r)?.userId ?? null),
      records.map((r) => at(r)?.model ?? null),
      records.map((r) => at(r)?.keyId ?? null),
      records.map((r) => r.call.usageOffset ?? null),
      records.map((r) => r.call.admissionOffset ?? null),
      records.map((r) => r.call.usageCountedCall ?? null),
    ]);
  }

  private async dropEmptyRows(tx: EntityManager, vacated: CountedUsage[]): Promise<void> {
    await tx.query(UsageSql.dropEmptyRows, [
      vacated.map((v) => v.orgId),
      vacated.map((v) => v.endpoint),
      vacated.map((v) => v.userId),
      vacated.map((v) => v.model),
      vacated.map((v) => new Date(v.at).toISOString()),
      vacated.map((v) => v.keyId),
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
      counted.map((c) => c.keyId),
    ]);
  }
}

const idKey = (orgId: string, id: string) => `${orgId}\u0000${id}`;

/** Calls in key order: the order their rows are created and locked in, by every transaction alike. */
const byId = (a: MeteredEvent, b: MeteredEvent) => {
  const x = idKey(a.orgId, a.id);
  const y = idKey(b.orgId, b.id);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** processed_events as lockCalls reads it. */
interface CallRow {
  org_id: string;
  event_id: string;
  has_usage: boolean;
  has_admission: boolean;
  released: boolean;
  call_at: number | null;
  call_endpoint: string | null;
  call_user: string | null;
  call_model: string | null;
  call_key: string | null;
  reserved_chars: number | null;
  reserved_until: number | null;
}

/** A call's record during a batch, and what the batch learnt of where it was first counted. */
interface Call {
  record: CallRecord<CallPlace> | undefined;
  changed: boolean;
  usageOffset?: number;
  admissionOffset?: number;
  usageCountedCall?: boolean;
}

function callOf(row: CallRow): Call {
  if (!row.has_usage && !row.has_admission && !row.released) return { record: undefined, changed: false };
  const record: CallRecord<CallPlace> = { admitted: row.has_admission, usage: row.has_usage };
  if (row.released) record.released = true;
  if (row.call_at !== null) {
    record.calledAt = {
      orgId: row.org_id,
      endpoint: row.call_endpoint ?? '',
      userId: row.call_user ?? '',
      model: row.call_model ?? '',
      keyId: row.call_key ?? '',
      at: row.call_at,
    };
  }
  if (row.reserved_chars !== null) {
    // Where a reservation was made does not matter to the tables: only that it is open.
    const nowhere = { orgId: row.org_id, endpoint: '', userId: '', model: '', keyId: '', at: 0 };
    record.reservation = { chars: row.reserved_chars, untilMs: row.reserved_until ?? 0, at: nowhere };
  }
  return { record, changed: false };
}
