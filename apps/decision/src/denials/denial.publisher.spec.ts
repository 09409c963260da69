import { CallsDeniedV1, decodeCallsDeniedV1, decodeJson } from '@metergate/contracts';
import { EventPublisher, OutgoingMessage, TopicAdmin } from '@metergate/messaging';
import { DecisionConfig } from '../decision.config';
import { DenialPublisher } from './denial.publisher';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');

/** Kafka as the publisher sees it: acknowledges, or refuses while `down`. */
class FakeKafka {
  down = false;
  readonly attempts: OutgoingMessage[][] = [];
  readonly acknowledged: OutgoingMessage[] = [];

  publish(_topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.attempts.push(messages);
    if (this.down) return Promise.reject(new Error('broker down'));
    this.acknowledged.push(...messages);
    return Promise.resolve();
  }

  records(): CallsDeniedV1[] {
    return this.acknowledged.map((m) => decodeCallsDeniedV1(decodeJson(m.value)));
  }
}

function publisherWith(kafka: FakeKafka, maxCounts = 100): DenialPublisher {
  const config = Object.assign(new DecisionConfig(), { DECISION_DENIALS_MAX_COUNTS: maxCounts });
  const topics = { ensureTopicsWithRetry: () => Promise.resolve(true) } as unknown as TopicAdmin;
  return new DenialPublisher(kafka as unknown as EventPublisher, topics, config);
}

const counts = (records: CallsDeniedV1[]) =>
  records.flatMap((r) => r.payload.denials.map((d) => ({ minute: r.payload.minute, ...d })));

describe('DenialPublisher', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 + 10_000 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it("publishes a minute's counts once it is over, in one record keyed by the replica", async () => {
    const kafka = new FakeKafka();
    const publisher = publisherWith(kafka);
    publisher.denied('acme', 'rate_limited', Date.now());
    publisher.denied('acme', 'rate_limited', Date.now());
    publisher.denied('globex', 'suspended', Date.now());
    await jest.advanceTimersByTimeAsync(49_000);
    expect(kafka.attempts).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(kafka.acknowledged.map((m) => m.key)).toEqual([publisher.replicaId]);
    expect(counts(kafka.records())).toEqual([
      { minute: '2026-11-28T10:00:00.000Z', orgId: 'acme', reason: 'rate_limited', count: 2 },
      { minute: '2026-11-28T10:00:00.000Z', orgId: 'globex', reason: 'suspended', count: 1 },
    ]);
  });

  it('sends the same records again while Kafka refuses them, and each count once it takes them', async () => {
    const kafka = new FakeKafka();
    const publisher = publisherWith(kafka);
    kafka.down = true;
    publisher.denied('acme', 'rate_limited', Date.now());
    await jest.advanceTimersByTimeAsync(50_000 + 2_000);
    publisher.denied('acme', 'rate_limited', Date.now());
    expect(kafka.attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(kafka.attempts.map((a) => a[0].value)).size).toBe(1);
    kafka.down = false;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(counts(kafka.records())).toEqual([
      { minute: '2026-11-28T10:00:00.000Z', orgId: 'acme', reason: 'rate_limited', count: 1 },
      { minute: '2026-11-28T10:01:00.000Z', orgId: 'acme', reason: 'rate_limited', count: 1 },
    ]);
  });

  it('keeps at most the bound of counts unsent while Kafka is away, dropping the oldest minutes', async () => {
    const kafka = new FakeKafka();
    const publisher = publisherWith(kafka, 2);
    kafka.down = true;
    for (let minute = 0; minute < 4; minute += 1) {
      publisher.denied('acme', 'rate_limited', Date.now());
      publisher.denied('globex', 'rate_limited', Date.now());
      await jest.advanceTimersByTimeAsync(60_000);
    }
    const largest = Math.max(
      ...kafka.attempts.map((a) => counts(a.map((m) => decodeCallsDeniedV1(decodeJson(m.value)))).length),
    );
    expect(largest).toBe(2);
    kafka.down = false;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(counts(kafka.records()).map((c) => c.minute)).toEqual([
      '2026-11-28T10:03:00.000Z',
      '2026-11-28T10:03:00.000Z',
    ]);
  });

  it('publishes the minute in progress at shutdown', async () => {
    const kafka = new FakeKafka();
    const publisher = publisherWith(kafka);
    publisher.denied('acme', 'quota_exhausted', Date.now());
    await publisher.onModuleDestroy();
    expect(counts(kafka.records())).toEqual([
      { minute: '2026-11-28T10:00:00.000Z', orgId: 'acme', reason: 'quota_exhausted', count: 1 },
    ]);
  });
});
