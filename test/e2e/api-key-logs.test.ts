import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiKey } from '@metergate/policy';
import { AppName, AppProcess } from '../support/app-process';
import { builtApps, isolatedStackEnv } from '../support/built-stack';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, uniqueName } from '../support/test-kafka';
import { call, uniqueOrg } from '../integration/tier-support';

jest.setTimeout(180_000);

// The four built apps in their own processes, logging at their most verbose: whatever they write (to
// stdout and stderr) while keys are issued, refused, listed, used for decisions and revoked must not
// hold a key's secret. pino-http's request lines, when written, hold the method, url, query and
// headers, never a body.
describe('no app ever logs an issued key', () => {
  let db: TestDatabase;
  const apps = {} as Record<AppName, AppProcess>;
  const topics = {
    USAGE_TOPIC: uniqueName('usage.recorded.v1'),
    CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
    ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
    DENIALS_TOPIC: uniqueName('decision.denials.v1'),
  };

  beforeAll(async () => {
    db = await TestDatabase.create('key_logs');
    await Promise.all(Object.values(topics).map((t) => createTopic(t, 3)));
    Object.assign(
      apps,
      await builtApps(['tier', 'projector', 'ingest', 'decision'], {
        ...isolatedStackEnv(db, 'trace'),
        ...topics,
      }),
    );
    Object.values(apps).forEach((app) => app.start());
    await Promise.all(Object.values(apps).map((app) => app.waitReady()));
  });

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.stop('SIGKILL')));
    await db?.drop();
  });

  it('logs no secret while keys are issued, refused, listed, used and revoked', async () => {
    const org = uniqueOrg();
    const keys: string[] = [];
    const issue = async (purpose: string) => {
      const issued = await call('POST', `${apps.tier.url}/v1/orgs/${org}/keys`, { purpose, name: 'k' });
      expect(issued.status).toBe(201);
      keys.push(issued.body.key);
      return issued.body as { keyId: string; key: string };
    };
    const trial = await issue('trial');
    expect(
      (await call('POST', `${apps.tier.url}/v1/orgs/${org}/keys`, { purpose: 'production', name: 'p' }))
        .status,
    ).toBe(409);
    await call('PUT', `${apps.tier.url}/v1/orgs/${org}/tier`, { tier: 'production', reason: 'contract' });
    const production = await issue('production');
    expect((await call('GET', `${apps.tier.url}/v1/orgs/${org}/keys`)).status).toBe(200);
    expect((await call('GET', `${apps.tier.url}/v1/orgs/${org}`)).status).toBe(200);

    // Decisions by key, a batch, a malformed check naming a key, and usage events of those calls.
    const decide = (body: unknown, path = '/v1/decisions') =>
      call('POST', `${apps.decision.url}${path}`, body);
    const allowed = await eventually(async () => {
      const answer = await decide({ apiKey: production.key, endpoint: 'generate', model: 'large' });
      const body = answer.body as { allowed: boolean; orgId?: string; requestId: string };
      return body.allowed ? body : undefined;
    }, 20_000);
    expect(allowed).toMatchObject({ orgId: org });
    await decide(
      {
        checks: [
          { apiKey: trial.key, endpoint: 'embed' },
          { apiKey: `${trial.key}x`, endpoint: 'embed' },
        ],
      },
      '/v1/decisions/batch',
    );
    expect((await decide({ apiKey: trial.key, orgId: org, endpoint: 'embed' })).status).toBe(400);
    const usage = await call('POST', `${apps.ingest.url}/v1/usage`, {
      events: [
        {
          id: allowed!.requestId,
          orgId: org,
          keyId: production.keyId,
          endpoint: 'generate',
          inputChars: 10,
          outputChars: 20,
          timestamp: new Date().toISOString(),
        },
      ],
    });
    expect(usage.status).toBe(202);

    expect(
      (await call('DELETE', `${apps.tier.url}/v1/orgs/${org}/keys/${trial.keyId}?reason=rotated`)).status,
    ).toBe(200);
    expect((await call('DELETE', `${apps.tier.url}/v1/orgs/${org}/keys/${trial.keyId}`)).status).toBe(409);
    expect(
      await eventually(
        async () => (await decide({ apiKey: trial.key, endpoint: 'embed' })).body.reason === 'invalid_key',
      ),
    ).toBe(true);

    for (const [name, app] of Object.entries(apps)) {
      // SIGTERM lets the process flush what it logged before it exits.
      expect(await app.stop('SIGTERM')).toBeDefined();
      const log = readFileSync(join(__dirname, `../../.data/test-logs/${name}-${app.port}.log`), 'utf8');
      // The file is this app's own output.
      expect(log).toContain(`${name} listening on http://127.0.0.1:${app.port}`);
      for (const key of keys) {
        expect(key).toMatch(/^mg_(trial|prod)_\w{33}$/);
        expect(log).not.toContain(key);
        // Nor the part after the prefix, which lists and logs may show.
        expect(log).not.toContain(key.slice(parseApiKey(key)!.prefix.length));
      }
    }
  });
});
