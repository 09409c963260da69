import { Injectable } from '@nestjs/common';
import { ActiveApiKey } from '@metergate/contracts';
import { DatabaseConnection } from '@metergate/database';
import { StoredOffset } from '@metergate/messaging';
import { LimitOverride, OrgAccess, monthIndex, monthStartMs } from '@metergate/policy';
import type { PoolClient } from 'pg';
import { DecisionConfig } from '../decision.config';
import { ReadModel } from './read-model';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';
import { BUCKET_TABLES, SnapshotSql } from './snapshot.sql';
import { CopyRow, copyRows } from './copy-rows';

interface OffsetRow {
  consumer_group: string;
  topic: string;
  partition: number;
  next_offset: number;
  updated_ms: number;
  cluster_id: string | null;
}

export interface LoadedSnapshot {
  /** Where the projection stands per partition: the events below are in what was loaded. */
  offsets: SnapshotOffsets;
  /** Newest projector commit the snapshot holds (RFC 3339). */
  asOf: string;
  rows: number;
  /** The projector's offsets as stored, with the cluster they count records of (for the identity check). */
  stored: StoredOffset[];
}

/** The projector's group that keeps org_access (its usage group's name with `.access`). */
export const accessProjectionGroup = (projectorGroup: string) => `${projectorGroup}.access`;

/**
 * Reads the whole projection into a ReadModel, consistently with the projector's offsets: access rows,
 * lifetime (and monthly) totals, and the buckets every window of the policy reads.
 */
@Injectable()
export class SnapshotReader {
  /** Tiers, statuses, endpoints and models as read so far: made once per load, not once per row. */
  private names: string[] = [];

  constructor(
    private readonly database: DatabaseConnection,
    private readonly config: DecisionConfig,
  ) {}

  /** A COPY of the snapshot, bound by the snapshot's timeout rather than the client's. */
  private copy(client: PoolClient, query: string, onRow: (row: CopyRow) => void): Promise<number> {
    return copyRows(client, query, onRow, this.config.DECISION_SNAPSHOT_TIMEOUT_MS);
  }

  async load(model: ReadModel, nowMs: number): Promise<LoadedSnapshot> {
    this.names = [];
    const client = await this.database.connect();
    let rows = 0;
    try {
      await client.query(SnapshotSql.begin);
      await client.query(SnapshotSql.statementTimeout(this.config.DECISION_SNAPSHOT_TIMEOUT_MS));
      const { offsets, asOf, stored } = await this.offsets(client);
      rows += await this.copy(client, SnapshotSql.access, (row) => this.applyAccess(model, row));
      rows += await this.copy(client, SnapshotSql.lifetime, (row) =>
        this.applyTotals(model, row, nowMs, 'lifetime'),
      );
      if (model.policy.hasMonthlyLimits) {
        const since = sqlTime(monthStartMs(monthIndex(nowMs)));
        rows += await this.copy(client, SnapshotSql.month(since), (row) =>
          this.applyTotals(model, row, nowMs, 'month'),
        );
      }
      rows += await this.loadBuckets(client, model, nowMs);
      if (model.policy.hasModelScopes) rows += await this.loadModelTotals(client, model, nowMs);
      rows += await this.copy(client, SnapshotSql.reservations, (row) =>
        this.applyReservation(model, row, nowMs),
      );
      await client.query(SnapshotSql.commit);
      return { offsets, asOf, rows, stored };
    } catch (error) {
      await client.query(SnapshotSql.rollback).catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async offsets(
    client: PoolClient,
  ): Promise<{ offsets: SnapshotOffsets; asOf: string; stored: StoredOffset[] }> {
    const usageGroup = this.config.PROJECTOR_GROUP_ID;
    const accessGroup = accessProjectionGroup(usageGroup);
    const topics = new Map<string, TopicIndex>([
      [this.config.USAGE_TOPIC, TopicIndex.usage],
      [this.config.CALLS_ADMITTED_TOPIC, TopicIndex.admitted],
      [this.config.ACCESS_EVENTS_TOPIC, TopicIndex.access],
    ]);
    const { rows } = await client.query<OffsetRow>(SnapshotSql.offsets, [
      [usageGroup, accessGroup],
      [...topics.keys()],
    ]);
    const offsets = new SnapshotOffsets();
    const stored: StoredOffset[] = [];
    let newest = 0;
    for (const row of rows) {
      const topic = topics.get(row.topic)!;
      const group = topic === TopicIndex.access ? accessGroup : usageGroup;
      if (row.consumer_group !== group) continue;
      offsets.set(topic, row.partition, row.next_offset);
      stored.push({
        topic: row.topic,
        partition: row.partition,
        nextOffset: String(row.next_offset),
        clusterId: row.cluster_id,
      });
      newest = Math.max(newest, row.updated_ms);
    }
    return { offsets, asOf: new Date(newest).toISOString(), stored };
  }

  /** Buckets of every track, one query per projection table (calls and characters together). */
  private async loadBuckets(client: PoolClient, model: ReadModel, nowMs: number): Promise<number> {
    const policy = model.policy;
    let rows = 0;
    for (const [resolution, table] of Object.entries(BUCKET_TABLES)) {
      const resolutionMs = Number(resolution);
      const tracks = policy.tracks.flatMap((track, index) =>
        track.resolutionMs === resolutionMs
          ? [{ index, calls: track.unit === 'calls', slots: track.slots }]
          : [],
      );
      if (tracks.length === 0) continue;
      const slots = Math.max(...tracks.map((t) => t.slots));
      const since = (Math.floor(nowMs / resolutionMs) - slots) * resolutionMs;
      const query = SnapshotSql.buckets(table, sqlTime(since), policy.hasModelScopes);
      rows += await this.copy(client, query, (row) => {
        const endpoint = policy.indexOf(row.pooled(1, this.names));
        const at = orgRow(model, row);
        if (endpoint < 0 || at < 0) return;
        const atMs = row.integer(2);
        const calls = row.integer(3);
        const chars = row.integer(4);
        model.usage.row = at;
        // Every call's scope, and its model's when a limit counts that model.
        for (const scope of policy.scopesOf(
          endpoint,
          policy.modelSlot(row.pooled(5, this.names) || undefined),
        )) {
          for (const track of tracks) {
            const units = track.calls ? calls : chars;
            if (units !== 0) model.usage.addToWindow(scope, track.index, atMs, units);
          }
        }
      });
    }
    return rows;
  }

  private applyAccess(model: ReadModel, row: CopyRow): void {
    const at = orgRow(model, row);
    if (at < 0) return;
    // Nearly every organization has no overrides, keys or own models: no JSON to parse then.
    const json = <T>(field: number, none: string, empty: T): T =>
      row.is(field, none) ? empty : (JSON.parse(row.text(field)) as T);
    const state = {
      tier: row.pooled(1, this.names),
      status: row.pooled(2, this.names) as OrgAccess['status'],
      limitOverrides: json<Record<string, LimitOverride>>(3, '{}', {}),
      version: row.integer(4),
      apiKeys: json<ActiveApiKey[]>(5, '[]', []),
      models: json<string[]>(6, '[]', []),
    };
    model.orgs.applyAccess(at, state, () => row.ascii(0));
  }

  /** Per-model lifetime and monthly totals, for quotas that count one model. */
  private async loadModelTotals(client: PoolClient, model: ReadModel, nowMs: number): Promise<number> {
    const policy = model.policy;
    const periods = [['lifetime', 0] as const, ['month', monthStartMs(monthIndex(nowMs))] as const];
    let rows = 0;
    for (const [period, since] of periods) {
      rows += await this.copy(client, SnapshotSql.modelTotals(sqlTime(since)), (row) => {
        const endpoint = policy.indexOf(row.pooled(1, this.names));
        const at = orgRow(model, row);
        const slot = policy.modelSlot(row.pooled(2, this.names));
        if (endpoint < 0 || at < 0 || slot === 0) return;
        const scope = policy.scope(endpoint, slot);
        model.usage.loadTotal(at, scope, 'calls', period, row.integer(3), nowMs);
        model.usage.loadTotal(at, scope, 'chars', period, row.integer(4), nowMs);
      });
    }
    return rows;
  }

  private applyReservation(model: ReadModel, row: CopyRow, nowMs: number): void {
    const policy = model.policy;
    const orgId = row.ascii(0);
    const endpoint = policy.indexOf(row.pooled(2, this.names));
    const at = model.rowFor(orgId);
    if (endpoint < 0 || at < 0) return;
    const slot = policy.modelSlot(row.pooled(3, this.names) || undefined);
    model.counter.holdReservation(
      at,
      orgId,
      row.text(1),
      policy.scopesOf(endpoint, slot),
      row.integer(4),
      row.integer(5),
      nowMs,
    );
  }

  private applyTotals(model: ReadModel, row: CopyRow, nowMs: number, period: 'lifetime' | 'month'): void {
    const policy = model.policy;
    const endpoint = policy.indexOf(row.pooled(1, this.names));
    const at = orgRow(model, row);
    if (endpoint < 0 || at < 0) return;
    const scope = policy.scope(endpoint, 0);
    model.usage.loadTotal(at, scope, 'calls', period, row.integer(2), nowMs);
    model.usage.loadTotal(at, scope, 'chars', period, row.integer(3), nowMs);
  }
}

/** A time as an SQL literal (COPY takes no parameters). */
function sqlTime(ms: number): string {
  return `to_timestamp(${Math.floor(ms) / 1000})`;
}

/** The row of the organization a snapshot row names first, looked up from its bytes. */
function orgRow(model: ReadModel, row: CopyRow): number {
  return model.rowForBytes(row.buffer, row.start(0), row.end(0));
}
