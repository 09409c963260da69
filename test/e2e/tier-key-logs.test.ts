import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiKey } from '@metergate/policy';
import { AppProcess, freePort } from '../support/app-process';
import { TestDatabase } from '../support/test-database';
import { createTopic, uniqueName } from '../support/test-kafka';
import { call, uniqueOrg } from '../integration/tier-support';

jest.setTimeout(120_000);

// The built tier app in its own process, logging at its most verbose: whatever it writes (to stdout and
// stderr) while keys are issued, refused, listed and revoked must not hold a key's secret. pino-http's
// request lines, when written, hold the method, url, query and headers, never a body.
describe('the tier app never logs an issued key', () => {
  let db: TestDatabase;
  let tier: AppProcess;
  const topic = uniqueName('access.events.v1');

  beforeAll(async () => {
    db = await TestDatabase.create('tier_key_logs');
    await createTopic(topic, 3);
    const port = await freePort();
    tier = new AppProcess('tier', port, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'trace',
      DATABASE_URL: db.url,
      ACCESS_EVENTS_TOPIC: topic,
      KAFKA_TOPIC_PARTITIONS: '3',
      TIER_HTTP_PORT: String(port),
    });
    tier.start();
    await tier.waitReady();
  });

  afterAll(async () => {
    await tier?.stop('SIGKILL');
    await db?.drop();
  });

  it('logs no secret while keys are issued, refused, listed and revoked', async () => {
    const org = uniqueOrg();
    const keys: string[] = [];
    const issue = async (purpose: string) => {
      const issued = await call('POST', `${tier.url}/v1/orgs/${org}/keys`, { purpose, name: 'k' });
      expect(issued.status).toBe(201);
      keys.push(issued.body.key);
      return issued.body as { keyId: string };
    };
    const trial = await issue('trial');
    expect(
      (await call('POST', `${tier.url}/v1/orgs/${org}/keys`, { purpose: 'production', name: 'p' })).status,
    ).toBe(409);
    await call('PUT', `${tier.url}/v1/orgs/${org}/tier`, { tier: 'production', reason: 'contract' });
    await issue('production');
    expect((await call('GET', `${tier.url}/v1/orgs/${org}/keys`)).status).toBe(200);
    expect((await call('GET', `${tier.url}/v1/orgs/${org}`)).status).toBe(200);
    expect(
      (await call('DELETE', `${tier.url}/v1/orgs/${org}/keys/${trial.keyId}?reason=rotated`)).status,
    ).toBe(200);
    expect((await call('DELETE', `${tier.url}/v1/orgs/${org}/keys/${trial.keyId}`)).status).toBe(409);

    // SIGTERM lets the process flush what it logged before it exits.
    expect(await tier.stop('SIGTERM')).toBeDefined();
    const log = readFileSync(join(__dirname, `../../.data/test-logs/tier-${tier.port}.log`), 'utf8');

    // The file is this app's own output.
    expect(log).toContain(`tier listening on http://127.0.0.1:${tier.port}`);
    for (const key of keys) {
      expect(key).toMatch(/^mg_(trial|prod)_\w{33}$/);
      expect(log).not.toContain(key);
      // Nor the part after the prefix, which lists and logs may show.
      expect(log).not.toContain(key.slice(parseApiKey(key)!.prefix.length));
    }
  });
});
