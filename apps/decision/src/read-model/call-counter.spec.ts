import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledPolicy, parseAccessPolicy } from '@metergate/policy';
import { CallCounter, Place } from './call-counter';
import { IdMemory } from './id-memory';
import { Reservations } from './reservations';
import { TopicIndex } from './snapshot-offsets';
import { UsageStore } from './usage-store';

const policy = new CompiledPolicy(
  parseAccessPolicy(
    JSON.parse(readFileSync(join(__dirname, '../../../../config/access-policy.json'), 'utf8')),
  ),
);
const GENERATE = policy.indexOf('generate');
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const ROW = 0;
const at = (atMs = T0): Place => ({ endpoint: GENERATE, slot: 0, atMs });
const position = (offset: number) => ({ topic: TopicIndex.usage, partition: 0, offset });

function setup(knownSinceMs = T0 - 60_000) {
  const usage = new UsageStore(policy);
  const counter = new CallCounter(
    policy,
    usage,
    new IdMemory({ capacity: 100_000, retentionMs: 8 * 3_600_000 }, knownSinceMs),
    new Reservations(usage, 100),
    100,
    () => ROW,
  );
  const read = () => {
    usage.row = ROW;
    const minute = usage.window(policy.scope(GENERATE, 0), 0)?.total(T0 + 1000, 60, 60) ?? 0;
    return {
      calls: minute,
      chars: usage.period(policy.scope(GENERATE, 0), 'chars', 'lifetime', T0),
      reserved: usage.reserved(policy.scope(GENERATE, 0)),
    };
  };
  return { counter, read };
}

describe('CallCounter', () => {
  it('counts an admission made here once, even when it comes back from Kafka', () => {
    const { counter, read } = setup();
    counter.admitHere(ROW, 'org', 'r1', { kind: 'admission', at: at(), hits: 1 }, T0, 1);
    counter.applyFact(ROW, 'org', 'r1', { kind: 'admission', at: at(), hits: 1 }, position(0), T0);
    counter.applyFact(ROW, 'org', 'r1', { kind: 'admission', at: at(), hits: 1 }, position(0), T0);
    expect(read().calls).toBe(1);
  });

  it('counts a usage event linked to an admission for its characters only, however often it comes', () => {
    const { counter, read } = setup();
    counter.admitHere(ROW, 'org', 'r1', { kind: 'admission', at: at(), hits: 1 }, T0, 1);
    for (let i = 0; i < 3; i += 1)
      counter.applyFact(ROW, 'org', 'r1', { kind: 'usage', at: at(), chars: 70 }, position(i), T0 + 150_000);
    expect(read()).toMatchObject({ calls: 1, chars: 70 });
  });

  it('holds a reservation until the usage event commits what was used', () => {
    const { counter, read } = setup();
    counter.admitHere(
      ROW,
      'org',
      'r1',
      { kind: 'admission', at: at(), hits: 1, reserve: { chars: 500, untilMs: T0 + 600_000 } },
      T0,
      1,
    );
    expect(read()).toMatchObject({ reserved: 500, chars: 0 });
    counter.applyFact(ROW, 'org', 'r1', { kind: 'usage', at: at(), chars: 320 }, position(0), T0);
    expect(read()).toMatchObject({ reserved: 0, chars: 320 });
  });

  it('releases a reservation once', () => {
    const { counter, read } = setup();
    counter.admitHere(
      ROW,
      'org',
      'r1',
      { kind: 'admission', at: at(), hits: 1, reserve: { chars: 500, untilMs: T0 + 600_000 } },
      T0,
      1,
    );
    expect(counter.release(ROW, 'org', 'r1', T0)).toBe(500);
    expect(counter.release(ROW, 'org', 'r1', T0)).toBeUndefined();
    expect(read().reserved).toBe(0);
  });

  it('keeps an event whose id it may have forgotten for a check against the projection, and can take it back', () => {
    const { counter, read } = setup(T0);
    counter.applyFact(ROW, 'org', 'old', { kind: 'usage', at: at(T0 - 1000), chars: 10 }, position(7), T0);
    counter.applyFact(ROW, 'org', 'new', { kind: 'usage', at: at(T0 + 500), chars: 5 }, position(8), T0);
    expect(counter.uncertain.map((f) => f.id)).toEqual(['old']);
    const [uncertain] = counter.takeUncertain(() => true);
    counter.takeBack(uncertain);
    expect(read().chars).toBe(5);
  });

  it('learns ids from before the snapshot without counting them', () => {
    const { counter, read } = setup();
    counter.learn('org', 'r1', { kind: 'admission', at: at(), hits: 1 }, T0);
    counter.applyFact(ROW, 'org', 'r1', { kind: 'usage', at: at(), chars: 9 }, position(3), T0);
    expect(read()).toMatchObject({ calls: 0, chars: 9 });
  });
});
