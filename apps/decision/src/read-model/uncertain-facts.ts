import { Injectable, Logger } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { DecisionConfig } from '../decision.config';
import { UncertainFact } from './call-counter';
import { ReadModel } from './read-model';
import { ReadModelMetrics } from './read-model.metrics';
import { accessProjectionGroup } from './snapshot.reader';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';
import { SnapshotSql } from './snapshot.sql';

interface ProcessedRow {
  org_id: string;
  event_id: string;
  usage_offset: number | null;
  admission_offset: number | null;
  usage_counted_call: boolean | null;
}

const BATCH = 1000;

/**
 * Settles events counted as new whose id the memory may have forgotten (a usage event reported long
 * after its admission, a batch resent after minutes, anything older than a restart's warm-up): once
 * the projector has passed one, its processed_events row says at which offset that call's usage or
 * admission was first counted. Counted first elsewhere: a duplicate, taken back. Counted here but the
 * projection counted its call by the admission: the call is taken back.
 */
@Injectable()
export class UncertainFacts {
  private readonly logger = new Logger(UncertainFacts.name);
  private running = false;

  constructor(
    private readonly model: ReadModel,
    private readonly database: DatabaseConnection,
    private readonly config: DecisionConfig,
  ) {}

  async resolve(): Promise<void> {
    if (this.running || this.model.counter.uncertain.length === 0) return;
    this.running = true;
    try {
      const projected = await this.projectorOffsets();
      const ready = this.model.counter.takeUncertain(
        (fact) => fact.position.offset < projected.get(fact.position.topic, fact.position.partition),
      );
      for (let start = 0; start < ready.length; start += BATCH) {
        await this.settle(ready.slice(start, start + BATCH)).catch((error: Error) => {
          this.logger.warn(
            `cannot check ${ready.length} events against the projection yet: ${error.message}`,
          );
          this.model.counter.requeue(ready.slice(start));
          throw error;
        });
      }
    } catch {
      // Retried at the next sweep; the events stay counted as new meanwhile (the safe side).
    } finally {
      this.running = false;
    }
  }

  private async projectorOffsets(): Promise<SnapshotOffsets> {
    const group = this.config.PROJECTOR_GROUP_ID;
    const rows = await this.database.dataSource.query<
      { consumer_group: string; topic: string; partition: number; next_offset: number }[]
    >(SnapshotSql.offsets, [
      [group, accessProjectionGroup(group)],
      [this.config.USAGE_TOPIC, this.config.CALLS_ADMITTED_TOPIC],
    ]);
    const offsets = new SnapshotOffsets();
    for (const row of rows) {
      if (row.consumer_group !== group) continue;
      offsets.set(
        row.topic === this.config.USAGE_TOPIC ? TopicIndex.usage : TopicIndex.admitted,
        row.partition,
        row.next_offset,
      );
    }
    return offsets;
  }

  private async settle(facts: UncertainFact[]): Promise<void> {
    const rows = await this.database.dataSource.query<ProcessedRow[]>(SnapshotSql.processedEvents, [
      facts.map((f) => f.orgId),
      facts.map((f) => f.id),
    ]);
    const byId = new Map(rows.map((r) => [`${r.org_id}\u0000${r.event_id}`, r]));
    const counter = this.model.counter;
    for (const fact of facts) {
      const row = byId.get(`${fact.orgId}\u0000${fact.id}`);
      const firstAt = fact.kind === 'usage' ? row?.usage_offset : row?.admission_offset;
      if (firstAt !== fact.position.offset) {
        // Counted before (or not at all: the projector set it aside) in the projection: a duplicate.
        counter.takeBack(fact);
        ReadModelMetrics.duplicatesTakenBack.inc();
      } else if (fact.kind === 'usage' && row?.usage_counted_call === false) {
        const called = fact.effects.find((e) => e.calls > 0);
        if (called) counter.correct(fact.row, called.at, -called.calls);
      }
    }
  }
}
