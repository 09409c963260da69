import { ReadAgain } from '@metergate/messaging';
import { RawBatch } from '../offsets/raw-batch';
import { PoisonHandling, applySettingPoisonAside } from './set-aside-poison';

class Refused extends Error {
  code = '22021';
}

/** A projection in memory, with offsets stored per partition as PostgreSQL stores them. */
class FakeProjection implements PoisonHandling {
  readonly next = new Map<number, bigint>();
  readonly applied: string[] = [];
  readonly setAsideRecords: string[] = [];
  transactions = 0;
  attempts = 3;
  outage = 0;

  constructor(private readonly poison: Set<string>) {}

  async apply(batches: RawBatch[]): Promise<ReadAgain> {
    this.transactions += 1;
    if (this.outage > 0) {
      this.outage -= 1;
      throw new Error('Connection terminated unexpectedly');
    }
    const readAgain: ReadAgain = [];
    const staged: [number, bigint, string[]][] = [];
    for (const b of batches) {
      const next = this.next.get(b.partition) ?? 0n;
      if (BigInt(b.fetchedOffset) > next) {
        readAgain.push({ topic: b.topic, partition: b.partition, offset: next.toString() });
        continue;
      }
      const fresh = b.messages
        .filter((m) => BigInt(m.offset) >= next)
        .map((m) => `${b.partition}/${m.offset}`);
      if (fresh.some((id) => this.poison.has(id)))
        throw new Refused('invalid byte sequence for encoding "UTF8": 0x00');
      if (fresh.length > 0)
        staged.push([b.partition, BigInt(b.messages[b.messages.length - 1].offset) + 1n, fresh]);
    }
    for (const [partition, next, fresh] of staged) {
      this.next.set(partition, next);
      this.applied.push(...fresh);
    }
    return readAgain;
  }

  async setAside(batch: RawBatch, message: RawBatch['messages'][number]): Promise<ReadAgain> {
    this.transactions += 1;
    this.setAsideRecords.push(`${batch.partition}/${message.offset}`);
    this.next.set(batch.partition, BigInt(message.offset) + 1n);
    return [];
  }

  isRecordFault(error: unknown): boolean {
    return error instanceof Refused;
  }

  pause = () => Promise.resolve();
  now = () => new Date(0);
}

const batch = (partition: number, from: number, count: number): RawBatch => ({
  topic: 'usage',
  partition,
  fetchedOffset: String(from),
  highWatermark: String(from + count),
  messages: Array.from({ length: count }, (_, i) => ({ offset: String(from + i), value: null })),
});
const ids = (partition: number, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `${partition}/${from + i}`);

describe('setting aside records that cannot be applied', () => {
  it('applies a clean transaction once', async () => {
    const projection = new FakeProjection(new Set());
    await applySettingPoisonAside([batch(0, 0, 10), batch(1, 0, 5)], projection);
    expect(projection.applied).toEqual([...ids(0, 0, 10), ...ids(1, 0, 5)]);
    expect(projection.transactions).toBe(1);
  });

  it('sets aside only the bad record of a multi-partition transaction, applying everything around it', async () => {
    const projection = new FakeProjection(new Set(['1/37']));
    await applySettingPoisonAside([batch(0, 0, 100), batch(1, 0, 100), batch(2, 0, 100)], projection);
    expect(projection.setAsideRecords).toEqual(['1/37']);
    expect(projection.applied.sort()).toEqual(
      [...ids(0, 0, 100), ...ids(1, 0, 100).filter((id) => id !== '1/37'), ...ids(2, 0, 100)].sort(),
    );
    expect(projection.next.get(1)).toBe(100n);
  });

  it('retries the whole transaction before looking for the record at fault', async () => {
    const projection = new FakeProjection(new Set(['0/3']));
    await applySettingPoisonAside([batch(0, 0, 8)], projection);
    // 3 attempts of the whole, then halves: [0-3] fails, [0-1] ok, [2-3] fails, [2] ok, [3] fails alone
    // and is set aside, [4-7] ok.
    expect(projection.transactions).toBe(3 + 7);
  });

  it('never sets anything aside for an unavailable database: the failure goes to the caller, who waits', async () => {
    const projection = new FakeProjection(new Set());
    projection.outage = 1;
    await expect(applySettingPoisonAside([batch(0, 0, 10)], projection)).rejects.toThrow(
      'Connection terminated',
    );
    expect(projection.setAsideRecords).toEqual([]);
    expect(projection.transactions).toBe(1);
  });

  it('lets the database go away in the middle of the search, and resumes after it without applying anything twice', async () => {
    const projection = new FakeProjection(new Set(['0/6']));
    projection.attempts = 1;
    const original = projection.apply.bind(projection);
    let calls = 0;
    projection.apply = async (batches) => {
      calls += 1;
      if (calls === 3) throw new Error('Connection terminated unexpectedly');
      return original(batches);
    };
    await expect(applySettingPoisonAside([batch(0, 0, 10)], projection)).rejects.toThrow(
      'Connection terminated',
    );
    await applySettingPoisonAside([batch(0, 0, 10)], projection);
    expect(projection.setAsideRecords).toEqual(['0/6']);
    expect(projection.applied).toEqual(ids(0, 0, 10).filter((id) => id !== '0/6'));
  });

  it('hands back the partitions to read again instead of applying past a gap', async () => {
    const projection = new FakeProjection(new Set());
    projection.next.set(0, 5n);
    expect(await applySettingPoisonAside([batch(0, 9, 3), batch(1, 0, 2)], projection)).toEqual([
      { topic: 'usage', partition: 0, offset: '5' },
    ]);
    expect(projection.applied).toEqual(ids(1, 0, 2));
  });

  it('applies every good record once and sets aside exactly the bad ones, wherever they are', async () => {
    // A seeded generator: the same 300 cases on every run, each a few partitions with bad records anywhere.
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    for (let run = 0; run < 300; run++) {
      const sizes = Array.from({ length: 1 + random(4) }, () => 1 + random(60));
      const poison = new Set(
        Array.from({ length: random(9) }, () => {
          const p = random(sizes.length);
          return `${p}/${random(sizes[p])}`;
        }),
      );
      const projection = new FakeProjection(poison);
      await applySettingPoisonAside(
        sizes.map((size, p) => batch(p, 0, size)),
        projection,
      );
      const all = sizes.flatMap((size, p) => ids(p, 0, size));
      expect(projection.setAsideRecords.sort()).toEqual([...poison].sort());
      expect(projection.applied.sort()).toEqual(all.filter((id) => !poison.has(id)).sort());
      sizes.forEach((size, p) => expect(projection.next.get(p)).toBe(BigInt(size)));
    }
  });
});
