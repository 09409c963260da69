import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { KafkaClient } from '@metergate/messaging';
import { DecisionConfig } from '../decision.config';
import { ReadModel } from './read-model';
import { ReadModelFollower } from './read-model.follower';
import { ReadModelMetrics } from './read-model.metrics';
import { SnapshotOffsets } from './snapshot-offsets';
import { UncertainFacts } from './uncertain-facts';

const SWEEP_MS = 1000;

/**
 * The read model's timers: freshness probes of the topics' ends, the sweep of what time ends
 * (windows, reservations, ids), the check of uncertain events against the projection, and the gauges.
 */
@Injectable()
export class ReadModelHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelHousekeeping.name);
  private timers: NodeJS.Timeout[] = [];
  private probing = false;

  constructor(
    private readonly model: ReadModel,
    private readonly follower: ReadModelFollower,
    private readonly uncertain: UncertainFacts,
    private readonly kafka: KafkaClient,
    private readonly config: DecisionConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.push(setInterval(() => this.sweep(), SWEEP_MS));
    this.timers.push(setInterval(() => void this.probeEnds(), this.config.DECISION_FRESHNESS_PROBE_MS));
    this.timers.forEach((t) => t.unref());
    this.publishGauges();
  }

  onApplicationShutdown(): void {
    this.timers.forEach((t) => clearInterval(t));
  }

  private sweep(): void {
    const now = Date.now();
    if (this.model.loaded) {
      this.model.sweep(now);
      void this.uncertain.resolve();
    }
    this.publishGauges();
  }

  private async probeEnds(): Promise<void> {
    if (!this.model.loaded || this.probing) return;
    this.probing = true;
    const probedAt = Date.now();
    try {
      const admin = await this.kafka.sharedAdmin();
      const ends = new SnapshotOffsets();
      for (const [index, name] of this.follower.topicNames.entries()) {
        for (const p of await admin.fetchTopicOffsets(name)) ends.set(index, p.partition, Number(p.offset));
      }
      this.model.freshness.observeTopicEnds(ends, probedAt);
    } catch (error) {
      this.logger.debug?.(`freshness probe failed: ${(error as Error).message}`);
    } finally {
      this.probing = false;
    }
  }

  private publishGauges(): void {
    const now = Date.now();
    const model = this.model;
    const staleness = model.stalenessMs(now);
    const m = ReadModelMetrics;
    m.staleness.set(Number.isFinite(staleness) ? staleness / 1000 : -1);
    m.stale.set(model.isStale(now) ? 1 : 0);
    m.orgs.set(model.size);
    m.activeOrgs.set(model.usage.activeOrgs);
    m.untrackedOrgs.set(model.untracked);
    const { ids, reservations } = model.counter;
    m.ids.set(ids.size);
    m.idCapacity.set(ids.capacity);
    m.idsDroppedEarly.set(ids.droppedEarly);
    m.idHorizon.set(Math.max(0, (now - ids.forgottenUpToMs) / 1000));
    m.reservations.set(reservations.size);
    m.reservationsDropped.set(reservations.dropped);
    m.uncertain.set(model.counter.uncertain.length);
    m.uncertainDropped.set(model.counter.uncertainDropped);
  }
}
