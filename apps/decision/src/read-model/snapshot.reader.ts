import { Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { LimitOverride, OrgAccess, monthIndex, monthStartMs } from '@metergate/policy';
import type { PoolClient } from 'pg';
import { DecisionConfig } from '../decision.config';
import { ReadModel } from './read-model';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';
import { BUCKET_TABLES, SnapshotSql } from './snapshot.sql';

const PAGE_ROWS = 20_000;

interface OffsetRow {
  consumer_group: string;
  topic: string;
  partition: number;
  next_offset: number;
  updated_ms: number;
}

export interface LoadedSnapshot {
  /** Where the projection stands per partition: the events below are in what was loaded. */
  offsets: SnapshotOffsets;
  /** Newest projector commit the snapshot holds (RFC 3339). */
  asOf: string;
  rows: number;
}

/** The projector's group that keeps org_access (its usage group's name with `.access`). */
export const accessProjectionGroup = (projectorGroup: string) => `${projectorGroup}.access`;

/**
 * Reads the whole projection into a ReadModel, consistently with the projector's offsets: access rows,
 * lifetime (and monthly) totals, and the buckets every window of the policy reads.
 */
@Injectable()
export class SnapshotReader {
  constructor(
    private readonly database: DatabaseConnection,
    private readonly config: DecisionConfig,
  ) {}

  async load(model: ReadModel, nowMs: number): Promise<LoadedSnapshot> {
    const client = await this.database.connect();
    let rows = 0;
    try {
      await client.query(SnapshotSql.begin);
      const { offsets, asOf } = await this.offsets(client);
      rows += await this.stream(client, SnapshotSql.access, (page) => this.applyAccess(model, page));
      rows += await this.stream(client, SnapshotSql.lifetime, (page) =>
        this.applyTotals(model, page, nowMs, 'lifetime'),
      );
      if (model.policy.hasMonthlyLimits) {
        const since = sqlTime(monthStartMs(monthIndex(nowMs)));
        rows += await this.stream(client, SnapshotSql.month.replace('$1', since), (page) =>
          this.applyTotals(model, page, nowMs, 'month'),
        );
      }
      rows += await this.loadBuckets(client, model, nowMs);
      await client.query(SnapshotSql.commit);
      return { offsets, asOf, rows };
    } catch (error) {
      await client.query(SnapshotSql.rollback).catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async offsets(client: PoolClient): Promise<{ offsets: SnapshotOffsets; asOf: string }> {
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
    let newest = 0;
    for (const row of rows) {
      const topic = topics.get(row.topic)!;
      const group = topic === TopicIndex.access ? accessGroup : usageGroup;
      if (row.consumer_group !== group) continue;
      offsets.set(topic, row.partition, row.next_offset);
      newest = Math.max(newest, row.updated_ms);
    }
    return { offsets, asOf: new Date(newest).toISOString() };
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
      rows += await this.stream(client, SnapshotSql.buckets(table).replace('$1', sqlTime(since)), (page) => {
        for (const [orgId, endpointName, atMs, calls, chars] of page as [
          string,
          string,
          number,
          number,
          number,
        ][]) {
          const endpoint = policy.indexOf(endpointName);
          const row = model.rowFor(orgId);
          if (endpoint < 0 || row < 0) continue;
          const scope = policy.scope(endpoint, 0);
          model.usage.row = row;
          for (const track of tracks) {
            const units = track.calls ? calls : chars;
            if (units !== 0) model.usage.addToWindow(scope, track.index, atMs, units);
          }
        }
      });
    }
    return rows;
  }

  private applyAccess(model: ReadModel, page: unknown[][]): void {
    for (const [orgId, tier, status, limitOverrides, version] of page as [
      string,
      string,
      OrgAccess['status'],
      Record<string, LimitOverride>,
      number,
    ][]) {
      model.applyAccess(orgId, { tier, status, limitOverrides, version });
    }
  }

  private applyTotals(
    model: ReadModel,
    page: unknown[][],
    nowMs: number,
    period: 'lifetime' | 'month',
  ): void {
    const policy = model.policy;
    for (const [orgId, endpointName, calls, chars] of page as [string, string, number, number][]) {
      const endpoint = policy.indexOf(endpointName);
      const row = model.rowFor(orgId);
      if (endpoint < 0 || row < 0) continue;
      model.usage.loadTotals(row, endpoint, 'calls', period, calls, nowMs);
      model.usage.loadTotals(row, endpoint, 'chars', period, chars, nowMs);
    }
  }

  /** Reads a query a page at a time through a cursor; returns the rows read. */
  private async stream(
    client: PoolClient,
    query: string,
    onPage: (rows: unknown[][]) => void,
  ): Promise<number> {
    const cursor = 'snapshot_rows';
    await client.query(SnapshotSql.declare(cursor, query));
    let total = 0;
    for (;;) {
      const { rows } = await client.query<unknown[]>({
        text: SnapshotSql.fetch(cursor, PAGE_ROWS),
        rowMode: 'array',
      });
      if (rows.length === 0) break;
      total += rows.length;
      onPage(rows);
    }
    await client.query(SnapshotSql.close(cursor));
    return total;
  }
}

/** A time as an SQL literal (cursor queries take no parameters). */
function sqlTime(ms: number): string {
  return `to_timestamp(${Math.floor(ms) / 1000})`;
}
