import { CALLS_DENIED, CallsDeniedV1, DenialCount } from '@metergate/contracts';
import { loadConfig } from '@metergate/platform';
import { Producer } from 'kafkajs';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { RunningApp, startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, testKafka, uniqueName } from '../support/test-kafka';

const record = (id: string, replicaId: string, minute: string, denials: DenialCount[]): CallsDeniedV1 => ({
  type: CALLS_DENIED,
  version: 1,
  id,
  occurredAt: minute,
  recordedAt: minute,
  payload: { replicaId, minute, denials },
});

// The projector in this process against the real Kafka and PostgreSQL: denial records read twice, sent
// twice or read again by another group leave denials_by_minute as they were.
describe('the denials projection', () => {
  let db: TestDatabase;
  let producer: Producer;
  const topic = uniqueName('decision.denials.v1');
  const minute = new Date(Date.now() - (Date.now() % 60_000) - 60_000).toISOString();
  const a = record('r1', 'replica-a', minute, [
    { orgId: 'acme', reason: 'rate_limited', count: 20 },
    { orgId: 'globex', reason: 'suspended', count: 2 },
  ]);
  const b = record('r2', 'replica-b', minute, [{ orgId: 'acme', reason: 'rate_limited', count: 5 }]);
  const expected = [
    { org_id: 'acme', reason: 'rate_limited', replica_id: 'replica-a', count: '20' },
    { org_id: 'acme', reason: 'rate_limited', replica_id: 'replica-b', count: '5' },
    { org_id: 'globex', reason: 'suspended', replica_id: 'replica-a', count: '2' },
  ];
  const rows = () =>
    db.query(
      `SELECT org_id, reason, replica_id, count FROM denials_by_minute ORDER BY org_id, reason, replica_id`,
    );

  const boot = (groupId: string): Promise<RunningApp> =>
    startApp(
      'projector',
      ProjectorModule.create(
        loadConfig(
          ProjectorConfig,
          testEnv({
            DATABASE_URL: db.url,
            DENIALS_TOPIC: topic,
            USAGE_TOPIC: uniqueName('usage.recorded.v1'),
            CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
            ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
            PROJECTOR_GROUP_ID: groupId,
          }),
        ),
      ),
    );

  beforeAll(async () => {
    db = await TestDatabase.create('denials_projection');
    await createTopic(topic, 3);
    producer = testKafka('denials-test').producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // The same record twice (a redelivery), again under a new id (a flush re-sent after a lost
    // acknowledgement), another replica's, and a message no decoder reads, all on one partition.
    await producer.send({
      topic,
      acks: -1,
      messages: [a, a, { ...a, id: 'r1-again' }, b].map((r) => ({ key: 'k', value: JSON.stringify(r) })),
    });
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: '{"type":"calls.denied"}' }] });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await db?.drop();
  });

  const applied = async (groupId: string) => {
    const [row] = await db.query<{ next_offset: string }>(
      `SELECT max(next_offset) AS next_offset FROM consumer_offsets WHERE consumer_group = $1`,
      [`${groupId}.denials`],
    );
    return row?.next_offset === '5';
  };

  it('keeps one count per replica, organization, minute and reason, however often a record comes', async () => {
    const groupId = uniqueName('projector');
    const projector = await boot(groupId);
    try {
      expect(await eventually(() => applied(groupId), 20_000)).toBe(true);
      expect(await rows()).toEqual(expected);
    } finally {
      await projector.close();
    }
  }, 40_000);

  it('leaves the rows as they are when another group applies the whole topic again', async () => {
    const groupId = uniqueName('projector');
    const projector = await boot(groupId);
    try {
      expect(await eventually(() => applied(groupId), 20_000)).toBe(true);
      expect(await rows()).toEqual(expected);
    } finally {
      await projector.close();
    }
  }, 40_000);
});
