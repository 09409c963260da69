import { CALL_ADMITTED, USAGE_RECORDED } from '@metergate/contracts';
import { dataSourceOptions } from '@metergate/database';
import { DataSource } from 'typeorm';
import { RawBatch } from '../../apps/projector/src/offsets/raw-batch';
import { UsageProjector } from '../../apps/projector/src/usage/usage-projector';
import { TestDatabase } from '../support/test-database';

const at = new Date(Date.now() - 60_000).toISOString();
const admission = (id: string, chars: number) => ({
  type: CALL_ADMITTED,
  version: 1,
  id,
  occurredAt: at,
  recordedAt: at,
  payload: {
    orgId: 'org-r',
    endpoint: 'generate',
    hits: 1,
    chars,
    reservedUntil: new Date(Date.now() + 600_000).toISOString(),
  },
});
const usage = (id: string, inputChars: number) => ({
  type: USAGE_RECORDED,
  version: 1,
  id,
  occurredAt: at,
  recordedAt: at,
  payload: { orgId: 'org-r', endpoint: 'generate', inputChars, outputChars: 0 },
});

/** A batch of one partition from `offset`, as the consumer hands it over. */
const batch = (topic: string, offset: number, events: object[]): RawBatch => ({
  topic,
  partition: 0,
  messages: events.map((e, i) => ({ offset: String(offset + i), value: Buffer.from(JSON.stringify(e)) })),
  fetchedOffset: String(offset),
  highWatermark: '1000000',
});

// Issue 12: the reservations table holds what admissions reserved until their usage events settle it,
// whether the two arrive in one transaction or in several (UsageProjector against the real PostgreSQL).
describe('reservations in the usage projection', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let projector: UsageProjector;

  beforeAll(async () => {
    db = await TestDatabase.create('projector_reservations');
    dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
    projector = new UsageProjector(dataSource, 'reservations');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const reservations = () =>
    db.query<{ event_id: string; chars: string }>('SELECT event_id, chars FROM reservations ORDER BY 1');
  const lifetime = () =>
    db.query<{ calls: string; input_chars: string }>(
      `SELECT calls, input_chars FROM usage_lifetime WHERE org_id = 'org-r'`,
    );

  it('holds a reservation until its usage event, in a later transaction, settles it', async () => {
    await projector.applyBatches([batch('admitted', 0, [admission('call-a', 4_000)])]);
    expect(await reservations()).toEqual([{ event_id: 'call-a', chars: '4000' }]);
    await projector.applyBatches([batch('usage', 0, [usage('call-a', 1_500)])]);
    expect(await reservations()).toEqual([]);
    expect(await lifetime()).toEqual([{ calls: '1', input_chars: '1500' }]);
  });

  it('keeps no reservation whose admission and usage event are applied in the same transaction', async () => {
    await projector.applyBatches([
      batch('admitted', 1, [admission('call-b', 4_000)]),
      batch('usage', 1, [usage('call-b', 2_500)]),
    ]);
    expect(await reservations()).toEqual([]);
    expect(await lifetime()).toEqual([{ calls: '2', input_chars: '4000' }]);
  });
});
