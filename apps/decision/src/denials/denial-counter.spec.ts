import { DenialCounter, MINUTE_MS, MinuteDenials } from './denial-counter';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');
const at = (minutes: number, seconds = 0) => T0 + minutes * MINUTE_MS + seconds * 1000;

/** (minute, org, reason) -> count over everything taken, failing on a key taken twice. */
function tally(taken: MinuteDenials[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { minuteMs, denials } of taken) {
    for (const { orgId, reason, count } of denials) {
      const key = `${new Date(minuteMs).toISOString()} ${orgId} ${reason}`;
      if (counts.has(key)) throw new Error(`${key} taken twice`);
      counts.set(key, count);
    }
  }
  return counts;
}

describe('DenialCounter', () => {
  it('counts per organization, reason and minute', () => {
    const counter = new DenialCounter(100);
    counter.count('acme', 'rate_limited', at(0, 1));
    counter.count('acme', 'rate_limited', at(0, 59.999));
    counter.count('acme', 'quota_exhausted', at(0, 30));
    counter.count('globex', 'rate_limited', at(0, 2));
    counter.count('acme', 'rate_limited', at(1, 0));
    expect(tally(counter.takeAll(at(1, 1)))).toEqual(
      new Map([
        ['2026-11-28T10:00:00.000Z acme rate_limited', 2],
        ['2026-11-28T10:00:00.000Z acme quota_exhausted', 1],
        ['2026-11-28T10:00:00.000Z globex rate_limited', 1],
        ['2026-11-28T10:01:00.000Z acme rate_limited', 1],
      ]),
    );
  });

  it('hands out a minute only once it is over', () => {
    const counter = new DenialCounter(100);
    counter.count('acme', 'rate_limited', at(0, 10));
    counter.count('acme', 'rate_limited', at(1, 0));
    expect(counter.takeClosed(at(0, 59.999))).toEqual([]);
    expect(counter.takeClosed(at(1, 0))).toEqual([
      { minuteMs: at(0), denials: [{ orgId: 'acme', reason: 'rate_limited', count: 1 }] },
    ]);
    expect(counter.pending).toBe(1);
  });

  it('hands out the minutes that are over oldest first, and nothing twice', () => {
    const counter = new DenialCounter(100);
    counter.count('acme', 'rate_limited', at(2));
    counter.count('acme', 'rate_limited', at(0));
    counter.count('acme', 'rate_limited', at(1));
    expect(counter.takeClosed(at(5)).map((m) => m.minuteMs)).toEqual([at(0), at(1), at(2)]);
    expect(counter.takeClosed(at(6))).toEqual([]);
    expect(counter.pending).toBe(0);
  });

  it('never counts in a minute already handed out, even when the clock steps back', () => {
    const counter = new DenialCounter(100);
    counter.count('acme', 'rate_limited', at(0, 50));
    const first = counter.takeClosed(at(1, 0));
    counter.count('acme', 'rate_limited', at(0, 59));
    const second = counter.takeClosed(at(2, 0));
    expect(first).toEqual([
      { minuteMs: at(0), denials: [{ orgId: 'acme', reason: 'rate_limited', count: 1 }] },
    ]);
    expect(second).toEqual([
      { minuteMs: at(1), denials: [{ orgId: 'acme', reason: 'rate_limited', count: 1 }] },
    ]);
  });

  it('hands out the current minute at shutdown, and counts later denials in the next one', () => {
    const counter = new DenialCounter(100);
    counter.count('acme', 'suspended', at(3, 20));
    expect(counter.takeAll(at(3, 21))).toEqual([
      { minuteMs: at(3), denials: [{ orgId: 'acme', reason: 'suspended', count: 1 }] },
    ]);
    counter.count('acme', 'suspended', at(3, 22));
    expect(counter.takeAll(at(3, 23))).toEqual([
      { minuteMs: at(4), denials: [{ orgId: 'acme', reason: 'suspended', count: 1 }] },
    ]);
  });

  it('holds at most maxKeys keys, drops denials of new keys beyond, and still counts held ones', () => {
    const counter = new DenialCounter(2);
    expect(counter.count('a', 'rate_limited', at(0))).toBe('new');
    expect(counter.count('b', 'rate_limited', at(0))).toBe('new');
    expect(counter.count('c', 'rate_limited', at(0))).toBe('dropped');
    expect(counter.count('a', 'quota_exhausted', at(0))).toBe('dropped');
    expect(counter.count('a', 'rate_limited', at(1))).toBe('dropped');
    expect(counter.count('a', 'rate_limited', at(0, 30))).toBe('added');
    expect(counter.pending).toBe(2);
    expect(tally(counter.takeClosed(at(1)))).toEqual(
      new Map([
        ['2026-11-28T10:00:00.000Z a rate_limited', 2],
        ['2026-11-28T10:00:00.000Z b rate_limited', 1],
      ]),
    );
    expect(counter.count('c', 'rate_limited', at(1))).toBe('new');
  });

  it('accounts for every denial exactly once over any sequence of counts and takes', () => {
    // A seeded generator: the same sequences on every run, many shapes of them.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    let dropped = 0;
    for (let run = 0; run < 200; run += 1) {
      const maxKeys = 1 + random(20);
      const counter = new DenialCounter(maxKeys);
      const expected = new Map<string, number>();
      const taken: MinuteDenials[] = [];
      let now = at(0);
      for (let step = 0; step < 300; step += 1) {
        // Mostly forward, sometimes back a little (a clock adjustment).
        now += random(5) === 0 ? -random(20_000) : random(3_000);
        if (random(10) === 0) {
          taken.push(...(random(4) === 0 ? counter.takeAll(now) : counter.takeClosed(now)));
          continue;
        }
        const org = `org${random(6)}`;
        const reason = ['rate_limited', 'quota_exhausted', 'suspended'][random(3)];
        if (counter.count(org, reason, now) === 'dropped') dropped += 1;
        else expected.set(`${org} ${reason}`, (expected.get(`${org} ${reason}`) ?? 0) + 1);
        if (counter.pending > maxKeys) throw new Error(`${counter.pending} keys held, at most ${maxKeys}`);
      }
      taken.push(...counter.takeAll(now));
      const counted = new Map<string, number>();
      for (const [key, count] of tally(taken)) {
        const orgReason = key.split(' ').slice(1).join(' ');
        counted.set(orgReason, (counted.get(orgReason) ?? 0) + count);
      }
      expect(counted).toEqual(expected);
      expect(counter.pending).toBe(0);
    }
    // The bound was reached in some runs, so the sequences did exercise dropping.
    expect(dropped).toBeGreaterThan(0);
  });
});
