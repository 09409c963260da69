import { dataSourceOptions } from '@metergate/database';
import { DataSource } from 'typeorm';
import { RawMessage, UsageProjector } from '../../apps/projector/src/usage/usage-projector';
import { TestDatabase } from '../support/test-database';
import { UsageStream, expectedAggregates, readAggregates } from '../support/usage-stream';

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
    expect(await live.applyBatch(topic, 0, messages.slice(0, 200))).toEqual({
      counted: first,
      duplicates: 200 - first,
      skipped: 0,
      invalid: 0,
    });
    const once = await readAggregates(query);
    expect(once).toEqual(expectedAggregates(events.slice(0, 200)));

    // The same offsets again, as after a crash between the commit and Kafka learning of it.
    expect(await live.applyBatch(topic, 0, messages.slice(0, 200))).toEqual({
      counted: 0,
      duplicates: 0,
      skipped: 200,
      invalid: 0,
    });
    expect(await readAggregates(query)).toEqual(once);

    const seen = keys(0, 200);
    const fresh = [...keys(200, 300)].filter((k) => !seen.has(k)).length;
    expect(await live.applyBatch(topic, 0, messages.slice(150, 300))).toEqual({
      counted: fresh,
      duplicates: 100 - fresh,
      skipped: 50,
      invalid: 0,
    });
    expect(await readAggregates(query)).toEqual(expectedAggregates(events));
  });

  it('counts nothing again when another group redelivers ids whose dedupe marks exist', async () => {
    const before = await readAggregates(query);
    expect(before).toEqual(expectedAggregates(events));
    // A new group has no stored offsets, so nothing is skipped by offset: only the marks stop it.
    const other = new UsageProjector(dataSource, 'idem-other');
    expect(await other.applyBatch(topic, 0, messages)).toEqual({
      counted: 0,
      duplicates: 300,
      skipped: 0,
      invalid: 0,
    });
    expect(await readAggregates(query)).toEqual(before);
  });
});
