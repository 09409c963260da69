import { inTransaction } from '@metergate/database';
import { ReadAgain } from '@metergate/messaging';
import { counter } from '@metergate/platform';
import { DataSource, EntityManager } from 'typeorm';
import { DeadLetter, countDeadLetters, writeDeadLetters } from '../dead-letters/dead-letter';
import { setAsideRecord } from '../dead-letters/set-aside';
import { takeFreshRecords } from '../offsets/fresh-records';
import { RawBatch, RawMessage } from '../offsets/raw-batch';
import { CallRecord } from '@metergate/policy';
import { CountedUsage, FoldedCall, OffsetEvent, foldCall } from './call-fold';
import { CallPlace, decodeMeteredEvents } from './usage-event.decoder';
import { UsageSql } from './usage.sql';

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
    let undecodable: DeadLetter[] = [];
    const result = await inTransaction(this.dataSource, async (tx) => {
      const fresh = await takeFreshRecords(tx, this.groupId, clusterId, batches, (message) => {
        const offset = Number(message.offset);
        // The decoded events are this batch's own: given their offset in place, not copied.
        return decodeMeteredEvents(message.value).map((event): OffsetEvent =>
          Object.assign(event, { offset }),
        );
      });
      undecodable = fresh.undecodable;
      outcome.readAgain = fresh.readAgain;
      outcome.skipped = fresh.skipped;
      const { decoded: events, advanced } = fresh;
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
   * Counts each call once by the one rule every store applies (countCall, libs/policy). A call seen for
   * the first time, the common case, is written once with its record after the batch; the calls that
   * already had a record are locked, folded from it and written back. Both in key order. Returns the
   * units to add at each place and the places calls moved away from.
   */
  private async countCalls(
    tx: EntityManager,
    events: OffsetEvent[],
  ): Promise<{ counted: CountedUsage[]; vacated: CountedUsage[]; changed: number }> {
    const byCall = new Map<string, OffsetEvent[]>();
    for (const event of events) {
      const key = idKey(event.orgId, event.id);
      const facts = byCall.get(key);
      if (facts) facts.push(event);
      else byCall.set(key, [event]);
    }
    const keys = [...byCall.keys()].sort();
    const asNew = keys.map((key) => foldCall(undefined, byCall.get(key)!));
    const inserted = await tx.query<{ org_id: string; event_id: string }[]>(
      UsageSql.insertNewCalls,
      callColumns(asNew),
    );
    const isNew = new Set(inserted.map((row) => idKey(row.org_id, row.event_id)));
    const folded = asNew.filter((call) => isNew.has(idKey(call.orgId, call.id)));
    const known = asNew.filter((call) => !isNew.has(idKey(call.orgId, call.id)));
    if (known.length > 0) {
      const rows = await tx.query<CallRow[]>(UsageSql.lockCalls, [
        known.map((c) => c.orgId),
        known.map((c) => c.id),
      ]);
      // Pruning may remove an old row between the insert and the lock: the batch is then tried again.
      if (rows.length !== known.length) throw new Error('a call record vanished during the batch; retrying');
      const refolded = rows.map((row) => foldCall(callOf(row), byCall.get(idKey(row.org_id, row.event_id))!));
      const changed = refolded.filter((call) => call.changedBy.length > 0);
      if (changed.length > 0) await tx.query(UsageSql.saveCalls, callColumns(changed));
      folded.push(...refolded);
    }
    await this.saveReservations(tx, folded);
    for (const call of folded) for (const role of call.changedBy) countedEvents.inc({ role });
    return {
      counted: folded.flatMap((call) => call.counted),
      vacated: folded.flatMap((call) => call.vacated),
      changed: folded.reduce((sum, call) => sum + call.changedBy.length, 0),
    };
  }

  private async saveReservations(tx: EntityManager, calls: FoldedCall[]): Promise<void> {
    const settled = calls.filter((call) => call.settlesStored);
    if (settled.length > 0) {
      await tx.query(UsageSql.settleReservations, [settled.map((c) => c.orgId), settled.map((c) => c.id)]);
    }
    const opened = calls.filter((call): call is OpeningCall => call.opens !== undefined);
    if (opened.length > 0) {
      await tx.query(UsageSql.openReservations, [
        opened.map((r) => r.orgId),
        opened.map((r) => r.id),
        opened.map((r) => r.opens.at.endpoint),
        opened.map((r) => r.opens.at.model),
        opened.map((r) => r.opens.chars),
        opened.map((r) => new Date(r.opens.at.at).toISOString()),
        opened.map((r) => new Date(r.opens.untilMs).toISOString()),
      ]);
    }
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
      // Epoch milliseconds, made timestamps by PostgreSQL: cheaper to send than any text form.
      counted.map((c) => c.at),
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

/** The columns of processed_events for each call's record, as insertNewCalls and saveCalls take them. */
function callColumns(calls: FoldedCall[]): unknown[] {
  const records = calls.map((call) => call.record ?? { admitted: false, usage: false });
  const at = records.map((record) => record.calledAt);
  return [
    calls.map((c) => c.orgId),
    calls.map((c) => c.id),
    records.map((r) => r.usage),
    records.map((r) => r.admitted),
    records.map((r) => r.released === true),
    at.map((place) => place?.at ?? null),
    at.map((place) => place?.endpoint ?? null),
    at.map((place) => place?.userId ?? null),
    at.map((place) => place?.model ?? null),
    at.map((place) => place?.keyId ?? null),
    calls.map((c) => c.usageOffset ?? null),
    calls.map((c) => c.admissionOffset ?? null),
    calls.map((c) => c.usageCountedCall ?? null),
  ];
}

/** A call whose batch left a reservation open. */
type OpeningCall = FoldedCall & Required<Pick<FoldedCall, 'opens'>>;

function callOf(row: CallRow): CallRecord<CallPlace> | undefined {
  if (!row.has_usage && !row.has_admission && !row.released) return undefined;
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
  return record;
}
