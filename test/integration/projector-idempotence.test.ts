import { dataSourceOptions } from '@metergate/database';
import { CALL_ADMITTED, USAGE_RECORDED } from '@metergate/contracts';
import { DataSource } from 'typeorm';
import { RawBatch, RawMessage } from '../../apps/projector/src/offsets/raw-batch';
import { UsageProjector } from '../../apps/projector/src/usage/usage-projector';
import { TestDatabase } from '../support/test-database';
import { UsageStream, expectedAggregates, readAggregates } from '../support/usage-stream';

/** A batch as the consumer hands it over: fetched from its first message, the partition's end far beyond. */
const fetched = (topic: string, partition: number, messages: RawMessage[]): RawBatch => ({
  topic,
  partition,
  messages,
  fetchedOffset: messages[0].offset,
  highWatermark: '1000000',
});

// UsageProjector against the real PostgreSQL: applying the same events again, by offset or by id, is a no-op.
describe('usage projection applied twice', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const topic = 'usage.recorded.v1';
  const query = <T extends object>(sql: string, params?: unknown[]) => db.query<T>(sql, params);
  // Only the envelopes are used: nothing is produced to Kafka here.
  const stream = new UsageStream(topic, { orgs: 4, startAt: Date.now() - 120_000, duplicateEvery: 6 });
  const events = Array.from({ length: 300 }, (_, i) => stream.event(i));
  const messages: RawMessage[] = events.map((e, i) => ({
    offset: String(i),
    value: Buffer.from(JSON.stringify(e)),
  }));

  beforeAll(async () => {
    db = await TestDatabase.create('projector_idem');
    dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const keys = (from: number, to: number) =>
    new Set(events.slice(from, to).map((e) => `${e.payload.orgId}/${e.id}`));

  it('skips a batch redelivered at the same offsets, and applies only the unseen tail of one that straddles them', async () => {
    const live = new UsageProjector(dataSource, 'idem-live');
    const first = keys(0, 200).size;
    expect(first).toBeLessThan(200);
    expect(await live.applyBatches([fetched(topic, 0, messages.slice(0, 200))])).toEqual({
      counted: first,
      duplicates: 200 - first,
      skipped: 0,
      invalid: 0,
      readAgain: [],
    });
    const once = await readAggregates(query);
    expect(once).toEqual(expectedAggregates(events.slice(0, 200)));

    // The same offsets again, as after a crash between the commit and Kafka learning of it.
    expect(await live.applyBatches([fetched(topic, 0, messages.slice(0, 200))])).toEqual({
      counted: 0,
      duplicates: 0,
      skipped: 200,
      invalid: 0,
      readAgain: [],
    });
    expect(await readAggregates(query)).toEqual(once);

    const seen = keys(0, 200);
    const fresh = [...keys(200, 300)].filter((k) => !seen.has(k)).length;
    expect(await live.applyBatches([fetched(topic, 0, messages.slice(150, 300))])).toEqual({
      counted: fresh,
      duplicates: 100 - fresh,
      skipped: 50,
      invalid: 0,
      readAgain: [],
    });
    expect(await readAggregates(query)).toEqual(expectedAggregates(events));
  });

  it('counts nothing again when another group redelivers ids whose dedupe marks exist', async () => {
    const before = await readAggregates(query);
    expect(before).toEqual(expectedAggregates(events));
    // A new group has no stored offsets, so nothing is skipped by offset: only the marks stop it.
    const other = new UsageProjector(dataSource, 'idem-other');
    expect(await other.applyBatches([fetched(topic, 0, messages)])).toEqual({
      counted: 0,
      duplicates: 300,
      skipped: 0,
      invalid: 0,
      readAgain: [],
    });
    expect(await readAggregates(query)).toEqual(before);
  });
});

describe('usage projection of several partitions in one transaction', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const topic = 'usage.recorded.v1';
  const query = <T extends object>(sql: string, params?: unknown[]) => db.query<T>(sql, params);
  const stream = new UsageStream(topic, { orgs: 4, startAt: Date.now() - 120_000, duplicateEvery: 5 });
  const events = Array.from({ length: 300 }, (_, i) => stream.event(i));
  // Keyed by org as the producers are: orgs 0 and 2 on partition 0, orgs 1 and 3 on partition 1.
  const partitions = [0, 1].map((partition) =>
    events
      .filter((e) => Number(e.payload.orgId.slice('org-'.length)) % 2 === partition)
      .map((e, offset): RawMessage => ({ offset: String(offset), value: Buffer.from(JSON.stringify(e)) })),
  );
  const batch = (partition: number, from: number, to: number) =>
    fetched(topic, partition, partitions[partition].slice(from, to));

  beforeAll(async () => {
    db = await TestDatabase.create('projector_multi');
    dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('skips in each partition only what its own stored offset covers, and stores every partition’s offset', async () => {
    const projector = new UsageProjector(dataSource, 'multi');
    const first = await projector.applyBatches([batch(0, 0, 100), batch(1, 0, 50)]);
    expect(first).toMatchObject({ skipped: 0, invalid: 0 });
    expect(first.counted + first.duplicates).toBe(150);

    const second = await projector.applyBatches([batch(0, 60, 150), batch(1, 0, 150)]);
    expect(second).toMatchObject({ skipped: 40 + 50, invalid: 0 });

    expect(await readAggregates(query)).toEqual(expectedAggregates(events));
    expect(
      await query<{ partition: number; next_offset: string }>(
        'SELECT partition, next_offset FROM consumer_offsets WHERE consumer_group = $1 ORDER BY partition',
        ['multi'],
      ),
    ).toEqual([
      { partition: 0, next_offset: '150' },
      { partition: 1, next_offset: '150' },
    ]);
  });
});

describe('usage projection of a call whose admission comes after its usage event', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const query = <T extends object>(sql: string, params?: unknown[]) => db.query<T>(sql, params);
  const message = (offset: number, envelope: object): RawMessage => ({
    offset: String(offset),
    value: Buffer.from(JSON.stringify(envelope)),
  });

  beforeAll(async () => {
    db = await TestDatabase.create('projector_moved');
    dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('moves the call to the admission’s place and leaves no empty row where it was', async () => {
    const projector = new UsageProjector(dataSource, 'moved');
    const usageAt = '2026-11-27T10:15:42.250Z';
    const admittedAt = '2026-11-27T10:14:59.900Z';
    const usage = {
      type: USAGE_RECORDED,
      version: 1,
      id: 'call-1',
      occurredAt: usageAt,
      recordedAt: usageAt,
      payload: { orgId: 'acme', endpoint: 'generate', userId: 'ann', inputChars: 0, outputChars: 0 },
    };
    const admission = {
      type: CALL_ADMITTED,
      version: 1,
      id: 'call-1',
      occurredAt: admittedAt,
      recordedAt: admittedAt,
      payload: { orgId: 'acme', endpoint: 'generate', userId: 'ann', hits: 1 },
    };
    await projector.applyBatches([fetched('usage', 0, [message(0, usage)])]);
    await projector.applyBatches([fetched('admitted', 0, [message(0, admission)])]);

    const buckets = async (table: string) =>
      (
        await query<{ bucket: Date; calls: string }>(
          `SELECT bucket, calls::text FROM ${table} WHERE org_id = 'acme' ORDER BY bucket`,
        )
      ).map((r) => [r.bucket.toISOString(), r.calls]);
    expect(await buckets('usage_by_second')).toEqual([['2026-11-27T10:14:59.000Z', '1']]);
    expect(await buckets('usage_by_minute')).toEqual([['2026-11-27T10:14:00.000Z', '1']]);
    expect(await buckets('usage_by_hour')).toEqual([['2026-11-27T10:00:00.000Z', '1']]);
    expect(await buckets('usage_by_day')).toEqual([['2026-11-27T00:00:00.000Z', '1']]);
    expect(await query('SELECT calls::int FROM usage_lifetime')).toEqual([{ calls: 1 }]);
  });
});
