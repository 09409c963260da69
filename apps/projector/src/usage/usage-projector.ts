import { Logger } from '@nestjs/common';
import { InvalidEventError } from '@metergate/contracts';
import { Counter } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { CountedUsage, UsageBucketRows, projectUsageBuckets } from './usage-buckets.projection';
import { MeteredEvent, decodeMeteredEvent } from './usage-event.decoder';
import { UsageSql } from './usage.sql';

export interface RawMessage {
  offset: string;
  value: Buffer | null;
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

const invalidEvents = new Counter({
  name: 'projector_invalid_events_total',
  help: 'Messages the projector could not read and stepped over.',
  labelNames: ['topic'] as const,
});

const countedEvents = new Counter({
  name: 'projector_events_counted_total',
  help: 'Events that changed the usage aggregates.',
  labelNames: ['role'] as const,
});

/**
 * Applies one partition's batch in one PostgreSQL transaction: aggregates, dedupe marks and the
 * partition's next offset commit together or not at all. That is what makes a crash at any moment
 * harmless: what was committed is never applied again, and what was not is read again from Kafka.
 */
export class UsageProjector {
  private readonly logger = new Logger(UsageProjector.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly groupId: string,
  ) {}

  async applyBatch(topic: string, partition: number, messages: RawMessage[]): Promise<BatchOutcome> {
    if (messages.length === 0) return { counted: 0, duplicates: 0, skipped: 0, invalid: 0 };
    return this.dataSource.transaction(async (tx) => {
      const [{ next_offset }] = (await tx.query(UsageSql.lockPartitionOffset, [
        this.groupId,
        topic,
        partition,
      ])) as {
        next_offset: string;
      }[];
      const from = BigInt(next_offset);
      const fresh = messages.filter((m) => BigInt(m.offset) >= from);
      const outcome: BatchOutcome = {
        counted: 0,
        duplicates: 0,
        skipped: messages.length - fresh.length,
        invalid: 0,
      };
      if (fresh.length === 0) return outcome;

      const events: MeteredEvent[] = [];
      for (const message of fresh) {
        try {
          events.push(decodeMeteredEvent(message.value));
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

      const counted = await this.markSeen(tx, events);
      outcome.counted = counted.length;
      outcome.duplicates = events.length - counted.length;
      await this.addBuckets(tx, projectUsageBuckets(counted));
      const last = BigInt(fresh[fresh.length - 1].offset);
      await tx.query(UsageSql.savePartitionOffset, [this.groupId, topic, partition, (last + 1n).toString()]);
      return outcome;
    });
  }

  /** Keeps the events whose (orgId, id) was not seen in their role, with the call counted only once. */
  private async markSeen(tx: EntityManager, events: MeteredEvent[]): Promise<CountedUsage[]> {
    const counted: CountedUsage[] = [];
    for (const role of ['usage', 'admission'] as const) {
      const firsts = new Map<string, MeteredEvent>();
      for (const e of events) {
        const key = `${e.orgId}\u0000${e.id}`;
        if (e.role === role && !firsts.has(key)) firsts.set(key, e);
      }
      if (firsts.size === 0) continue;
      const keys = [...firsts.keys()].sort();
      const rows = (await tx.query(role === 'usage' ? UsageSql.markUsageSeen : UsageSql.markAdmissionSeen, [
        keys.map((k) => firsts.get(k)!.orgId),
        keys.map((k) => firsts.get(k)!.id),
      ])) as { org_id: string; event_id: string; call_already_counted: boolean }[];
      countedEvents.inc({ role }, rows.length);
      for (const row of rows) {
        const e = firsts.get(`${row.org_id}\u0000${row.event_id}`)!;
        counted.push({
          orgId: e.orgId,
          endpoint: e.endpoint,
          userId: e.userId,
          model: e.model,
          at: e.at,
          calls: row.call_already_counted ? 0 : e.calls,
          inputChars: e.inputChars,
          outputChars: e.outputChars,
        });
      }
    }
    return counted;
  }

  private async addBuckets(tx: EntityManager, rows: UsageBucketRows): Promise<void> {
    const counts = (r: { calls: number; inputChars: number; outputChars: number }[]) => [
      r.map((x) => x.calls),
      r.map((x) => x.inputChars),
      r.map((x) => x.outputChars),
    ];
    for (const [sql, table] of [
      [UsageSql.addSeconds, rows.seconds],
      [UsageSql.addMinutes, rows.minutes],
    ] as const) {
      if (table.length === 0) continue;
      await tx.query(sql, [
        table.map((r) => r.orgId),
        table.map((r) => r.endpoint),
        table.map((r) => r.bucket),
        ...counts(table),
      ]);
    }
    for (const [sql, table] of [
      [UsageSql.addHours, rows.hours],
      [UsageSql.addDays, rows.days],
    ] as const) {
      if (table.length === 0) continue;
      await tx.query(sql, [
        table.map((r) => r.orgId),
        table.map((r) => r.bucket),
        table.map((r) => r.endpoint),
        table.map((r) => r.userId),
        table.map((r) => r.model),
        ...counts(table),
      ]);
    }
    if (rows.lifetime.length > 0) {
      await tx.query(UsageSql.addLifetime, [
        rows.lifetime.map((r) => r.orgId),
        rows.lifetime.map((r) => r.endpoint),
        ...counts(rows.lifetime),
      ]);
    }
  }
}
