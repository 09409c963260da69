import { USAGE_RECORDED, UsageRecordedV1 } from '@metergate/contracts';
import { Producer } from 'kafkajs';
import { testKafka } from './test-kafka';

/**
 * A deterministic stream of usage.recorded.v1 envelopes for projector tests: several orgs sharing ids
 * (dedupe is per org), clients' retries that repeat an earlier event of the same org verbatim, and calls
 * spread over a few minutes so that every bucket table gets several rows. Event i is always the same
 * envelope, so what was produced can be recounted independently of the projector.
 */
export class UsageStream {
  private readonly producer: Producer = testKafka('usage-stream').producer({ idempotent: true });
  private connected?: Promise<void>;
  private readonly sent: UsageRecordedV1[] = [];

  constructor(
    readonly topic: string,
    private readonly options: { orgs: number; startAt: number; duplicateEvery?: number },
  ) {}

  /** Everything acknowledged by Kafka so far, in the order produced. */
  get produced(): readonly UsageRecordedV1[] {
    return this.sent;
  }

  event(i: number): UsageRecordedV1 {
    const { orgs, startAt, duplicateEvery = 9 } = this.options;
    const org = i % orgs;
    // A retry of an earlier call of the same org (same index modulo orgs), sent again unchanged.
    const retryOf = i - orgs * (1 + (i % 5));
    if (i % duplicateEvery === duplicateEvery - 1 && retryOf >= 0) return this.event(retryOf);
    const at = new Date(startAt + i * 37).toISOString();
    const payload: UsageRecordedV1['payload'] = {
      orgId: `org-${org}`,
      endpoint: ['generate', 'embed', 'classify'][(i * 7) % 3],
      inputChars: (i * 37) % 1000,
      outputChars: (i * 11) % 500,
    };
    if (i % 4 !== 0) payload.userId = `user-${i % 3}`;
    if (i % 3 !== 0) payload.model = `model-${i % 2}`;
    return {
      type: USAGE_RECORDED,
      version: 1,
      id: `call-${Math.floor(i / orgs)}`,
      occurredAt: at,
      recordedAt: at,
      payload,
    };
  }

  /** Produces the next `count` events in sends of `chunk`, pausing `pauseMs` between sends. */
  async produce(count: number, chunk = 100, pauseMs = 0): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
    const end = this.sent.length + count;
    while (this.sent.length < end) {
      const from = this.sent.length;
      const events = Array.from({ length: Math.min(chunk, end - from) }, (_, k) => this.event(from + k));
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: events.map((e) => ({ key: e.payload.orgId, value: JSON.stringify(e) })),
      });
      this.sent.push(...events);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

export interface LifetimeRow {
  org_id: string;
  endpoint: string;
  calls: number;
  input_chars: number;
  output_chars: number;
}
export type WindowRow = LifetimeRow & { bucket: string };
export type RollupRow = WindowRow & { user_id: string; model: string };

/** Every usage table, rows in one canonical order, so that two projections compare row for row. */
export interface UsageAggregates {
  usage_lifetime: LifetimeRow[];
  usage_by_day: RollupRow[];
  usage_by_hour: RollupRow[];
  usage_by_minute: WindowRow[];
  usage_by_second: WindowRow[];
}

type Query = <T extends object>(sql: string, params?: unknown[]) => Promise<T[]>;

/** Sorted by every column, whatever order the object's keys were written in. */
const canonical = <T extends object>(rows: T[]): T[] =>
  rows
    .map((r) => [JSON.stringify(r, Object.keys(r).sort()), r] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);

export async function readAggregates(query: Query): Promise<UsageAggregates> {
  type Raw = Record<string, string | Date>;
  const counts = (r: Raw) => ({
    calls: Number(r.calls),
    input_chars: Number(r.input_chars),
    output_chars: Number(r.output_chars),
  });
  // Summed over the columns compared here, so that a table split by more dimensions (model, user, API
  // key) still compares with what the events add up to.
  const sums = 'sum(calls) AS calls, sum(input_chars) AS input_chars, sum(output_chars) AS output_chars';
  const read = async (table: string, key: string) =>
    query<Raw>(`SELECT ${key}, ${sums} FROM ${table} GROUP BY ${key}`);
  const windows = async (table: string) =>
    canonical(
      (await read(table, 'org_id, endpoint, bucket')).map((r) => ({
        org_id: r.org_id as string,
        endpoint: r.endpoint as string,
        bucket: (r.bucket as Date).toISOString(),
        ...counts(r),
      })),
    );
  const rollups = async (table: string) =>
    canonical(
      (await read(table, 'org_id, endpoint, bucket, user_id, model')).map((r) => ({
        org_id: r.org_id as string,
        endpoint: r.endpoint as string,
        bucket: (r.bucket as Date).toISOString(),
        user_id: r.user_id as string,
        model: r.model as string,
        ...counts(r),
      })),
    );
  return {
    usage_lifetime: canonical(
      (await read('usage_lifetime', 'org_id, endpoint')).map((r) => ({
        org_id: r.org_id as string,
        endpoint: r.endpoint as string,
        ...counts(r),
      })),
    ),
    usage_by_day: await rollups('usage_by_day'),
    usage_by_hour: await rollups('usage_by_hour'),
    usage_by_minute: await windows('usage_by_minute'),
    usage_by_second: await windows('usage_by_second'),
  };
}

/**
 * What the tables must hold after `events`, computed here without the projector's code: the first
 * event of each (orgId, id) counts, later ones never do.
 */
export function expectedAggregates(events: readonly UsageRecordedV1[]): UsageAggregates {
  const seen = new Set<string>();
  const tables = {
    usage_lifetime: new Map<string, LifetimeRow>(),
    usage_by_day: new Map<string, RollupRow>(),
    usage_by_hour: new Map<string, RollupRow>(),
    usage_by_minute: new Map<string, WindowRow>(),
    usage_by_second: new Map<string, WindowRow>(),
  };
  const add = <T extends LifetimeRow>(table: Map<string, T>, row: T) => {
    const key = JSON.stringify({ ...row, calls: 0, input_chars: 0, output_chars: 0 });
    const existing = table.get(key);
    if (!existing) table.set(key, row);
    else {
      existing.calls += row.calls;
      existing.input_chars += row.input_chars;
      existing.output_chars += row.output_chars;
    }
  };
  for (const e of events) {
    const dedupeKey = `${e.payload.orgId}/${e.id}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    const base = () => ({
      org_id: e.payload.orgId,
      endpoint: e.payload.endpoint,
      calls: 1,
      input_chars: e.payload.inputChars,
      output_chars: e.payload.outputChars,
    });
    const at = Date.parse(e.occurredAt);
    const bucket = (size: number) => new Date(at - (at % size)).toISOString();
    const rollup = (size: number) => ({
      ...base(),
      bucket: bucket(size),
      user_id: e.payload.userId ?? '',
      model: e.payload.model ?? '',
    });
    add(tables.usage_lifetime, base());
    add(tables.usage_by_day, rollup(86_400_000));
    add(tables.usage_by_hour, rollup(3_600_000));
    add(tables.usage_by_minute, { ...base(), bucket: bucket(60_000) });
    add(tables.usage_by_second, { ...base(), bucket: bucket(1000) });
  }
  return {
    usage_lifetime: canonical([...tables.usage_lifetime.values()]),
    usage_by_day: canonical([...tables.usage_by_day.values()]),
    usage_by_hour: canonical([...tables.usage_by_hour.values()]),
    usage_by_minute: canonical([...tables.usage_by_minute.values()]),
    usage_by_second: canonical([...tables.usage_by_second.values()]),
  };
}

/** Sum of the next offsets a projector group has stored for `topic`: the messages it has applied. */
export async function appliedMessages(query: Query, group: string, topic: string): Promise<number> {
  const [row] = await query<{ applied: string | null }>(
    'SELECT sum(next_offset) AS applied FROM consumer_offsets WHERE consumer_group = $1 AND topic = $2',
    [group, topic],
  );
  return Number(row.applied ?? 0);
}

/** Waits until the group has applied every message of the stream's topic; returns whether it did. */
export async function caughtUp(
  query: Query,
  group: string,
  stream: UsageStream,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await appliedMessages(query, group, stream.topic)) === stream.produced.length) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
