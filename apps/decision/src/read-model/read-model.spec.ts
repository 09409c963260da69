import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledPolicy, parseAccessPolicy } from '@metergate/policy';
import { IdFlags } from './org-entry';
import { CallFact, ProjectionSnapshot } from './org-snapshot';
import { ReadModel, ReadModelOptions } from './read-model';
import { SnapshotOffsets, TopicIndex } from './snapshot-offsets';

const policy = new CompiledPolicy(
  parseAccessPolicy(
    JSON.parse(readFileSync(join(__dirname, '../../../../config/access-policy.json'), 'utf8')),
  ),
);
const GENERATE = policy.indexOf('generate');
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const options: ReadModelOptions = {
  stalenessThresholdMs: 1000,
  idleEvictionMs: 60_000,
  maxOrgs: 1000,
  idRetentionMs: 120_000,
  pendingEventsMax: 100,
};

const admission = (offset: number, id: string, hits = 1): CallFact => ({
  topic: TopicIndex.admitted,
  partition: 0,
  offset,
  id,
  endpoint: GENERATE,
  atMs: T0,
  calls: hits,
  chars: 0,
});
const usage = (offset: number, id: string, chars = 10): CallFact => ({
  topic: TopicIndex.usage,
  partition: 0,
  offset,
  id,
  endpoint: GENERATE,
  atMs: T0,
  calls: 1,
  chars,
});
const offsets = (usageOffset: number, admittedOffset: number) =>
  new SnapshotOffsets([[usageOffset], [admittedOffset], []]);
const snapshot = (at: SnapshotOffsets, seconds: number[][] = []): ProjectionSnapshot => ({
  offsets: at,
  asOf: new Date(T0).toISOString(),
  orgs: new Map([['org', { seconds, minutes: seconds, chars: [] }]]),
});
const callsInMinute = (model: ReadModel) => model.get('org')!.usage.usage(GENERATE)?.minute.total(T0) ?? 0;
const chars = (model: ReadModel) => model.get('org')!.usage.charsUsed([GENERATE]);

describe('ReadModel', () => {
  it('is stale until the consumer reaches the ends Kafka reported, then fresh as of that probe', () => {
    const model = new ReadModel(policy, options);
    expect(model.isStale(T0)).toBe(true);
    model.observeTopicEnds(offsets(5, 0), T0);
    expect(model.isStale(T0)).toBe(true);
    model.consumed(TopicIndex.usage, 0, 5);
    expect(model.stalenessMs(T0 + 300)).toBe(300);
    model.observeTopicEnds(offsets(9, 0), T0 + 500);
    expect(model.isStale(T0 + 1000)).toBe(false);
    expect(model.isStale(T0 + 1001)).toBe(true);
    model.consumed(TopicIndex.usage, 0, 9);
    expect(model.stalenessMs(T0 + 1001)).toBe(501);
  });

  it('loads an organization from the snapshot plus the pending events the snapshot does not hold', () => {
    const model = new ReadModel(policy, options);
    model.applyCall('org', admission(3, 'a3'), T0);
    model.applyCall('org', admission(4, 'a4'), T0);
    model.applyCall('org', admission(5, 'a5'), T0);
    model.install('org', snapshot(offsets(0, 5), [[GENERATE, T0, 4]]), T0);
    expect(callsInMinute(model)).toBe(5);
    expect(model.pendingEvents).toBe(0);
  });

  it('skips events a snapshot taken ahead of the consumer already holds', () => {
    const model = new ReadModel(policy, options);
    model.install('org', snapshot(offsets(0, 10), [[GENERATE, T0, 10]]), T0);
    model.applyCall('org', admission(9, 'a9'), T0);
    model.applyCall('org', admission(10, 'a10'), T0);
    expect(callsInMinute(model)).toBe(11);
  });

  it("applies every admission of a v2 record, all at the record's offset, on either side of a snapshot", () => {
    const model = new ReadModel(policy, options);
    for (const id of ['a1', 'a2']) model.applyCall('org', admission(4, id), T0);
    for (const id of ['a3', 'a4', 'a5']) model.applyCall('org', admission(5, id), T0);
    // The snapshot holds offset 4's record (2 calls), not offset 5's.
    model.install('org', snapshot(offsets(0, 5), [[GENERATE, T0, 2]]), T0);
    for (const id of ['a6', 'a7']) model.applyCall('org', admission(6, id), T0);
    expect(callsInMinute(model)).toBe(7);
    expect(model.pendingEvents).toBe(0);
  });

  it('does not count its own admission again when it comes back from Kafka', () => {
    const model = new ReadModel(policy, options);
    const entry = model.install('org', snapshot(offsets(0, 0)), T0);
    entry.usage.recordCalls(GENERATE, T0, 1);
    entry.setFlags('mine', IdFlags.admitted | IdFlags.own);
    model.applyCall('org', admission(0, 'mine'), T0);
    model.applyCall('org', admission(1, 'mine'), T0);
    expect(callsInMinute(model)).toBe(1);
    expect(entry.hasOwnInFlight()).toBe(false);
  });

  it("counts a call as its admission's hits whichever of admission and usage comes first, and events twice once", () => {
    const facts = [admission(0, 'x', 2), usage(0, 'x'), usage(1, 'y'), admission(1, 'y', 3), usage(0, 'x')];
    for (const order of [facts, [...facts].reverse()]) {
      const model = new ReadModel(policy, options);
      model.install('org', snapshot(offsets(0, 0)), T0);
      for (const fact of order) model.applyCall('org', fact, T0);
      // x: 2 hits, y: 3 hits (its usage event came first and had counted one), as the projector counts.
      expect(callsInMinute(model)).toBe(5);
      expect(chars(model)).toBe(20);
    }
  });

  it('drops pending events once the projection holds them', () => {
    const model = new ReadModel(policy, options);
    model.applyCall('org', admission(1, 'a1'), T0);
    model.applyCall('org', admission(2, 'a2'), T0);
    model.observeProjected(offsets(0, 2));
    expect(model.pendingEvents).toBe(1);
  });

  it('marks organizations loaded across dropped pending events incomplete until a later snapshot covers them', () => {
    const model = new ReadModel(policy, { ...options, pendingEventsMax: 1 });
    model.applyCall('other', admission(1, 'a1'), T0);
    model.applyCall('org', admission(2, 'a2'), T0);
    expect(model.install('org', snapshot(offsets(0, 1)), T0).complete).toBe(false);
    expect(model.incompleteOrgs()).toEqual(['org']);
    expect(model.install('org', snapshot(offsets(0, 3)), T0).complete).toBe(true);
  });

  it('evicts an idle organization only once the projection holds everything applied to it', () => {
    const model = new ReadModel(policy, options);
    model.install('org', snapshot(offsets(0, 0)), T0);
    model.applyCall('org', admission(7, 'a7'), T0);
    const idle = T0 + options.idleEvictionMs + 1;
    expect(model.sweep(idle)).toBe(0);
    model.observeProjected(offsets(0, 8));
    expect(model.sweep(idle)).toBe(1);
    expect(model.get('org')).toBeUndefined();
  });

  it('keeps the access state of an evicted organization for its reload', () => {
    const model = new ReadModel(policy, options);
    model.install('org', snapshot(offsets(0, 0)), T0);
    model.applyAccess('org', { tier: 'production', status: 'active', limitOverrides: {}, version: 2 });
    model.sweep(T0 + options.idleEvictionMs + 1);
    expect(model.install('org', snapshot(offsets(0, 0)), T0).usage.access?.tier).toBe('production');
  });
});
