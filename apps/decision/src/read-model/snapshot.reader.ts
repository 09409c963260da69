import { Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { LimitOverride, MINUTE_MS, SECOND_MS } from '@metergate/policy';
import { DecisionConfig } from '../decision.config';
import { OrgSnapshot, ProjectionSnapshot } from './org-snapshot';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';
import { ReadModel } from './read-model';
import { SnapshotSql } from './snapshot.sql';

interface OffsetRow {
  topic: string;
  partition: number;
  next_offset: number;
  updated_ms: number;
}

interface BucketRow {
  org_id: string;
  endpoint: string;
  at_ms: number;
  calls: number;
}

interface CharsRow {
  org_id: string;
  endpoint: string;
  chars: number;
}

interface AccessRow {
  org_id: string;
  tier: string;
  status: 'active' | 'suspended';
  limit_overrides: Record<string, LimitOverride>;
  version: number;
}

/** Reads organizations and the projector's offsets from PostgreSQL, consistently. */
@Injectable()
export class SnapshotReader {
  private readonly topicIndex: Map<string, TopicIndex>;

  constructor(
    private readonly database: DatabaseConnection,
    private readonly config: DecisionConfig,
    private readonly model: ReadModel,
  ) {
    this.topicIndex = new Map([
      [config.USAGE_TOPIC, TopicIndex.usage],
      [config.CALLS_ADMITTED_TOPIC, TopicIndex.admitted],
    ]);
  }

  /** The projector's committed offsets alone (no transaction needed: they only grow). */
  async projectorOffsets(): Promise<{ offsets: SnapshotOffsets; asOf: string }> {
    const rows = await this.database.dataSource.query<OffsetRow[]>(SnapshotSql.projectorOffsets, [
      this.config.PROJECTOR_GROUP_ID,
      [...this.topicIndex.keys()],
    ]);
    return this.toOffsets(rows);
  }

  async load(orgIds: string[], nowMs: number): Promise<ProjectionSnapshot> {
    const runner = this.database.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(SnapshotSql.begin);
      const offsetRows = (await runner.query(SnapshotSql.projectorOffsets, [
        this.config.PROJECTOR_GROUP_ID,
        [...this.topicIndex.keys()],
      ])) as OffsetRow[];
      const seconds = (await runner.query(SnapshotSql.secondBuckets, [
        orgIds,
        new Date(Math.floor(nowMs / SECOND_MS) * SECOND_MS - 60 * SECOND_MS),
      ])) as BucketRow[];
      const minutes = (await runner.query(SnapshotSql.minuteBuckets, [
        orgIds,
        new Date(Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - 24 * 60 * MINUTE_MS),
      ])) as BucketRow[];
      const chars = (await runner.query(SnapshotSql.lifetimeChars, [orgIds])) as CharsRow[];
      const access = (await runner.query(SnapshotSql.access, [orgIds])) as AccessRow[];
      await runner.query(SnapshotSql.commit);

      const orgs = new Map<string, OrgSnapshot>();
      const org = (id: string) => {
        let snapshot = orgs.get(id);
        if (!snapshot) orgs.set(id, (snapshot = { seconds: [], minutes: [], chars: [] }));
        return snapshot;
      };
      const endpoint = (name: string) => this.model.policy.indexOf(name);
      for (const r of seconds)
        if (endpoint(r.endpoint) >= 0) org(r.org_id).seconds.push([endpoint(r.endpoint), r.at_ms, r.calls]);
      for (const r of minutes)
        if (endpoint(r.endpoint) >= 0) org(r.org_id).minutes.push([endpoint(r.endpoint), r.at_ms, r.calls]);
      for (const r of chars)
        if (endpoint(r.endpoint) >= 0) org(r.org_id).chars.push([endpoint(r.endpoint), r.chars]);
      for (const r of access) {
        org(r.org_id).access = {
          tier: r.tier,
          status: r.status,
          limitOverrides: r.limit_overrides,
          version: r.version,
        };
      }
      return { ...this.toOffsets(offsetRows), orgs };
    } catch (error) {
      await runner.query(SnapshotSql.rollback).catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private toOffsets(rows: OffsetRow[]): { offsets: SnapshotOffsets; asOf: string } {
    const offsets = new SnapshotOffsets();
    let newest = 0;
    for (const row of rows) {
      const topic = this.topicIndex.get(row.topic);
      if (topic === undefined) continue;
      offsets.set(topic, row.partition, row.next_offset);
      newest = Math.max(newest, row.updated_ms);
    }
    return { offsets, asOf: new Date(newest).toISOString() };
  }
}
