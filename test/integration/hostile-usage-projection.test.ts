import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { UsageEventDto, usageRecordedV1 } from '@metergate/contracts';
import { dataSourceOptions } from '@metergate/database';
import { parseAccessPolicy } from '@metergate/policy';
import { DataSource } from 'typeorm';
import { validateRecordUsage } from '../../apps/ingest/src/record-usage/record-usage.validation';
import { RawMessage } from '../../apps/projector/src/offsets/raw-batch';
import { UsageProjector } from '../../apps/projector/src/usage/usage-projector';
import { hostileUsageEvent, overHttp } from '../support/hostile-usage';
import { TestDatabase } from '../support/test-database';

const policy = parseAccessPolicy(
  JSON.parse(readFileSync(join(__dirname, '../../config/access-policy.json'), 'utf8')),
);
const key = (...parts: string[]) => JSON.stringify(parts);

/**
 * The other half of the property test beside ingest's validation: the events ingest accepts out of
 * 10,000 hostile ones, through the real projection into a fresh PostgreSQL. None may be refused by
 * PostgreSQL or skipped as invalid, and each is stored as it was sent.
 */
describe('hostile usage events that ingest accepts, through the projection into PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await TestDatabase.create('hostile_usage');
    dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('counts every accepted event of 10,000 generated, and stores its ids and names unchanged', async () => {
    const now = Date.now();
    const seed = Number(process.env.FC_SEED ?? now % 2 ** 31);
    const accepted: UsageEventDto[] = [];
    for (const generated of fc.sample(hostileUsageEvent(now), { numRuns: 10_000, seed })) {
      try {
        accepted.push(...validateRecordUsage({ events: [overHttp(generated)] }, now, policy).events);
      } catch (error) {
        if (!(error instanceof BadRequestException)) throw error;
      }
    }
    expect(accepted.length).toBeGreaterThan(1000);

    const recordedAt = new Date(now).toISOString();
    const messages: RawMessage[] = accepted.map((event, offset) => ({
      offset: String(offset),
      value: Buffer.from(JSON.stringify(usageRecordedV1(event, recordedAt))),
    }));
    const projector = new UsageProjector(dataSource, 'hostile');
    const total = { counted: 0, duplicates: 0, skipped: 0, invalid: 0 };
    for (let from = 0; from < messages.length; from += 500) {
      const slice = messages.slice(from, from + 500);
      const batch = {
        topic: 'usage.recorded.v1',
        partition: 0,
        messages: slice,
        fetchedOffset: slice[0].offset,
        highWatermark: String(messages.length),
      };
      const outcome = await projector.applyBatches([batch]);
      for (const field of Object.keys(total) as (keyof typeof total)[]) total[field] += outcome[field];
    }

    // A call is counted once per (orgId, id): the first event of each id is the one that counts.
    const first = new Map<string, UsageEventDto>();
    for (const event of accepted)
      if (!first.has(key(event.orgId, event.id))) first.set(key(event.orgId, event.id), event);
    expect({ seed, ...total }).toEqual({
      seed,
      counted: first.size,
      duplicates: accepted.length - first.size,
      skipped: 0,
      invalid: 0,
    });

    const expected = new Map<string, { calls: number; input: number; output: number }>();
    for (const event of first.values()) {
      const sum = expected.get(key(event.orgId, event.endpoint)) ?? { calls: 0, input: 0, output: 0 };
      expected.set(key(event.orgId, event.endpoint), {
        calls: sum.calls + 1,
        input: sum.input + event.inputChars,
        output: sum.output + event.outputChars,
      });
    }
    const lifetime = await db.query<{
      org_id: string;
      endpoint: string;
      calls: string;
      input_chars: string;
      output_chars: string;
    }>('SELECT org_id, endpoint, calls, input_chars, output_chars FROM usage_lifetime');
    const counted = new Map(
      lifetime.map((r) => [
        key(r.org_id, r.endpoint),
        { calls: Number(r.calls), input: Number(r.input_chars), output: Number(r.output_chars) },
      ]),
    );
    expect(counted).toEqual(expected);

    const ids = await db.query<{ org_id: string; event_id: string }>(
      'SELECT org_id, event_id FROM processed_events',
    );
    expect(new Set(ids.map((r) => key(r.org_id, r.event_id)))).toEqual(new Set(first.keys()));
    const places = await db.query<{ user_id: string; model: string }>(
      'SELECT DISTINCT user_id, model FROM usage_by_hour',
    );
    expect(new Set(places.map((r) => key(r.user_id, r.model)))).toEqual(
      new Set([...first.values()].map((e) => key(e.userId ?? '', e.model ?? ''))),
    );
  });
});
