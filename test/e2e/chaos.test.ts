import { randomUUID } from 'node:crypto';
import { AppProcess, freePort } from '../support/app-process';
import { localBroker } from '../support/local-broker';
import { TestDatabase } from '../support/test-database';
import { eventually, uniqueName } from '../support/test-kafka';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Event {
  id: string;
  orgId: string;
  endpoint: string;
  inputChars: number;
  outputChars: number;
  timestamp: string;
}

/**
 * A gateway's client: posts batches of usage and, after a 503, a timeout or a refused connection,
 * sends the same batch again (same ids) until it is accepted, as the README asks of clients.
 */
class RetryingClient {
  readonly accepted: Event[] = [];
  retries = 0;

  constructor(private readonly ingestUrl: () => string) {}

  async send(events: Event[], deadline: number): Promise<void> {
    for (;;) {
      if (Date.now() > deadline)
        throw new Error(`a batch was not accepted before the deadline (${this.retries} retries)`);
      const status = await fetch(`${this.ingestUrl()}/v1/usage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer dev-service' },
        body: JSON.stringify({ events }),
        signal: AbortSignal.timeout(5_000),
      }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 202) {
        this.accepted.push(...events);
        return;
      }
      if (status !== 503 && status !== 0) throw new Error(`ingest answered ${status}`);
      this.retries += 1;
      await sleep(250);
    }
  }
}

// The built ingest and projector under sustained load, the projector killed three times and the broker
// stopped and started once; afterwards what was accepted is exactly what was counted.
describe('chaos: ingest under load while the projector is killed and the broker restarted', () => {
  let db: TestDatabase;
  let ingest: AppProcess;
  let projector: AppProcess;
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    KAFKA_TOPIC_PARTITIONS: '3',
    USAGE_TOPIC: uniqueName('usage.recorded.v1'),
    CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
    ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
    PROJECTOR_GROUP_ID: uniqueName('projector-chaos'),
  };
  const orgs = Array.from({ length: 8 }, (_, i) => `chaos-org-${i}`);

  const startProjector = async () => {
    const port = await freePort();
    projector = new AppProcess('projector', port, {
      ...env,
      DATABASE_URL: db.url,
      PROJECTOR_HTTP_PORT: String(port),
    });
    projector.start();
  };

  beforeAll(async () => {
    localBroker.ensureOurs();
    db = await TestDatabase.create('chaos');
    const port = await freePort();
    ingest = new AppProcess('ingest', port, { ...env, DATABASE_URL: db.url, INGEST_HTTP_PORT: String(port) });
    ingest.start();
    await startProjector();
    await Promise.all([ingest.waitReady(), projector.waitReady()]);
  }, 120_000);

  afterAll(async () => {
    await projector?.stop('SIGKILL');
    await ingest?.stop('SIGKILL');
    await db?.drop();
  }, 30_000);

  it('counts every accepted event exactly once, per organization', async () => {
    const client = new RetryingClient(() => ingest.url);
    const started = Date.now();
    const deadline = started + 150_000;
    let loading = true;
    let sequence = 0;
    const load = async (worker: number) => {
      while (loading) {
        const events = Array.from({ length: 25 }, (_, i): Event => {
          const n = sequence++;
          return {
            id: `w${worker}-${n}-${randomUUID().slice(0, 8)}`,
            orgId: orgs[(n + i) % orgs.length],
            endpoint: ['generate', 'embed', 'classify'][n % 3],
            inputChars: (n * 7) % 500,
            outputChars: (n * 3) % 200,
            timestamp: new Date().toISOString(),
          };
        });
        await client.send(events, deadline);
        await sleep(40);
      }
    };
    const workers = [0, 1, 2].map((w) => load(w));
    const at = (seconds: number) => sleep(Math.max(0, started + seconds * 1000 - Date.now()));

    for (const seconds of [6, 18]) {
      await at(seconds);
      await projector.stop('SIGKILL');
      await startProjector();
    }
    await at(28);
    await localBroker.stop();
    await sleep(4_000);
    await localBroker.start();
    await at(Math.max(48, (Date.now() - started) / 1000 + 4));
    await projector.stop('SIGKILL');
    await startProjector();
    await sleep(6_000);
    loading = false;
    await Promise.all(workers);
    expect(client.accepted.length).toBeGreaterThan(1000);
    expect(client.retries).toBeGreaterThan(0);

    const expected = new Map<string, { calls: number; chars: number }>();
    for (const e of client.accepted) {
      const o = expected.get(e.orgId) ?? { calls: 0, chars: 0 };
      expected.set(e.orgId, { calls: o.calls + 1, chars: o.chars + e.inputChars + e.outputChars });
    }
    const counted = async () =>
      new Map(
        (
          await db.query<{ org_id: string; calls: string; chars: string }>(
            'SELECT org_id, sum(calls) AS calls, sum(input_chars + output_chars) AS chars FROM usage_lifetime GROUP BY org_id',
          )
        ).map((r) => [r.org_id, { calls: Number(r.calls), chars: Number(r.chars) }]),
      );
    const acceptedTotal = client.accepted.length;
    await eventually(
      async () => [...(await counted()).values()].reduce((sum, c) => sum + c.calls, 0) >= acceptedTotal,
      90_000,
      500,
    );
    const byOrg = await counted();
    for (const org of orgs) expect({ org, ...byOrg.get(org) }).toEqual({ org, ...expected.get(org) });
  }, 240_000);
});
