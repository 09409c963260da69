import { Logger } from '@nestjs/common';
import { InvalidEventError } from '@metergate/contracts';
import { counter } from '@metergate/platform';
import { DataSource, EntityManager } from 'typeorm';
import { MeteredEvent, decodeMeteredEvents } from './usage-event.decoder';
import { UsageSql } from './usage.sql';
import { PartitionOffsetsSql } from '../offsets/partition-offsets.sql';
import { inTransaction } from '@metergate/database';

export interface RawMessage {
  offset: string;
  value: Buffer | null;
}

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

/** Consecutive messages of one partition. */
export interface RawBatch {
  topic: string;
  partition: number;
  messages: RawMessage[];
}

export interface BatchOutcome {
  /** Events that changed the aggregates. */
  counted: number;
  /** Events already counted before (client retries, redelivery after a crash). */
  duplicates: number;
  /** Messages below the stored offset: a redelivered batch. */
  skipped: number;
  invalid: number;
}

const invalidEvents = counter({
  name: 'projector_invalid_events_total',
  help: 'Messages the projector could not read and stepped over.',
  labelNames: ['topic'] as const,
});

const countedEvents = counter({
  name: 'projector_events_counted_total',
  help: 'Events that changed the usage aggregates.',
  labelNames: ['role'] as const,
});

/**
 * Applies batches of one or more partitions in one PostgreSQL transaction: aggregates, dedupe marks and
 * each partition's next offset commit together or not at all. That is what makes a crash at any moment
 * harmless: what was committed is never applied again, and what was not is read again from Kafka.
 */
export class UsageProjector {
  private readonly logger = new Logger(UsageProjector.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly groupId: string,
  ) {}

  /** `batches` name each partition once, sorted by topic and partition (the order their offsets are locked in). */
  async applyBatches(batches: RawBatch[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { counted: 0, duplicates: 0, skipped: 0, invalid: 0 };
    if (batches.every((b) => b.messages.length === 0)) return outcome;
    return inTransaction(this.dataSource, async (tx) => {
      const stored = await tx.query<{ topic: string; partition: number; next_offset: string }[]>(
        PartitionOffsetsSql.lockAll,
        [this.groupId, batches.map((b) => b.topic), batches.map((b) => b.partition)],
      );
      const nextOffset = new Map(stored.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
      const events: MeteredEvent[] = [];
      const advanced: { topic: string; partition: number; next: string }[] = [];
      for (const { topic, partition, messages } of batches) {
        const from = nextOffset.get(`${topic}/${partition}`)!;
        const fresh = messages.filter((m) => BigInt(m.offset) >= from);
        outcome.skipped += messages.length - fresh.length;
        if (fresh.length === 0) continue;
        advanced.push({ topic, partition, next: (BigInt(fresh[fresh.length - 1].offset) + 1n).toString() });
        for (const message of fresh) {
          try {
            events.push(...decodeMeteredEvents(message.value));
          } catch (error) {
            if (!(error instanceof InvalidEventError)) throw error;
            // A poison message must not stall the partition: step over it, loudly.
            outcome.invalid += 1;
            invalidEvents.inc({ topic });
            this.logger.error(
              { topic, partition, offset: message.offset, reason: error.reason },
              'invalid event skipped',
            );
          }
        }
      }
      if (advanced.length === 0) return outcome;

      const { counted, vacated } = await this.markSeen(tx, events);
      outcome.counted = counted.length - vacated.length;
      outcome.duplicates = events.length - outcome.counted;
      await this.addCountedAndSaveOffsets(tx, counted, advanced);
      if (vacated.length > 0) await this.dropEmptyRows(tx, vacated);
      return outcome;
    });
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
