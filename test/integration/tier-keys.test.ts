import { createHash } from 'node:crypto';
import { decodeAccessEventV1 } from '@metergate/contracts';
import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, uniqueName } from '../support/test-kafka';
import { application, call, readTopic, startProjector, startTier, uniqueOrg } from './tier-support';

jest.setTimeout(60_000);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const as = (role: 'service' | 'analyst' | 'admin') => ({ authorization: `Bearer dev-${role}` });

// API keys and custom models as commands on the organization's access aggregate, over HTTP, through the
// outbox to Kafka and into org_access.
describe('API keys and custom models', () => {
  let db: TestDatabase;
  let tier: RunningApp;
  let projector: RunningApp | undefined;
  let replayer: RunningApp | undefined;
  const topic = uniqueName('access.events.v1');

  beforeAll(async () => {
    db = await TestDatabase.create('tier_keys');
    await createTopic(topic, 3);
    tier = await startTier(db, topic);
  });

  afterAll(async () => {
    await replayer?.close();
    await projector?.close();
    await tier?.close();
    await db?.drop();
  });

  const issue = (orgId: string, body: unknown, role: 'service' | 'analyst' | 'admin' = 'service') =>
    call('POST', `${tier.url}/v1/orgs/${orgId}/keys`, body, { ...as(role), 'x-actor': 'platform' });
  const list = (orgId: string, role: 'service' | 'analyst' | 'admin' = 'analyst') =>
    call('GET', `${tier.url}/v1/orgs/${orgId}/keys`, undefined, as(role));
  const revoke = (
    orgId: string,
    keyId: string,
    query = '',
    role: 'service' | 'analyst' | 'admin' = 'service',
  ) =>
    call('DELETE', `${tier.url}/v1/orgs/${orgId}/keys/${keyId}${query}`, undefined, {
      ...as(role),
      'x-actor': 'ada',
    });
  const registerModel = (orgId: string, name: unknown, role: 'service' | 'analyst' | 'admin' = 'service') =>
    call('POST', `${tier.url}/v1/orgs/${orgId}/models`, { name }, as(role));
  const approveFullAccess = async (orgId: string) => {
    const submitted = await call('POST', `${tier.url}/v1/orgs/${orgId}/applications`, application());
    const approved = await call(
      'POST',
      `${tier.url}/v1/applications/${submitted.body.applicationId}/approve`,
      {
        reviewer: 'rita',
      },
    );
    expect(approved.body).toMatchObject({ status: 'approved', tier: 'production' });
  };
  /** Rows of the tier's own tables and the read model whose text holds `needle`. */
  const stored = async (needle: string) =>
    (
      await db.query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM access_events WHERE data::text LIKE '%' || $1 || '%')
               + (SELECT count(*) FROM access_outbox WHERE message LIKE '%' || $1 || '%')
               + (SELECT count(*) FROM org_access WHERE api_keys::text LIKE '%' || $1 || '%'))::int AS n`,
        [needle],
      )
    )[0].n;

  describe('issuing', () => {
    it('answers 201 with the key once, of the trial format, its prefix naming it, and nothing cached', async () => {
      const org = uniqueOrg();
      const response = await fetch(`${tier.url}/v1/orgs/${org}/keys`, {
        method: 'POST',
        headers: { ...as('service'), 'content-type': 'application/json' },
        body: JSON.stringify({ purpose: 'trial', name: 'notebook experiments' }),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, string>;
      expect(body).toEqual({
        keyId: expect.any(String),
        key: expect.stringMatching(/^mg_trial_[0-9A-Za-z]{33}$/),
        prefix: body.key.slice(0, 17),
        purpose: 'trial',
        name: 'notebook experiments',
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      // Stored and published as its digest only.
      expect(await stored(body.key)).toBe(0);
      expect(await stored(body.key.slice(17))).toBe(0);
      expect(await stored(sha256(body.key))).toBe(2);
    });

    it('refuses a production key while the organization is on trial, and issues one after approval', async () => {
      const org = uniqueOrg();
      const refused = await issue(org, { purpose: 'production', name: 'prod' });
      expect(refused).toMatchObject({
        status: 409,
        body: { code: 'ACCESS.PRODUCTION_KEY_REQUIRES_FULL_ACCESS' },
      });
      expect(refused.body.message).toContain('production keys need full access');

      await approveFullAccess(org);
      const issued = await issue(org, { purpose: 'production', name: 'prod' });
      expect(issued).toMatchObject({ status: 201, body: { purpose: 'production' } });
      expect(issued.body.key).toMatch(/^mg_prod_[0-9A-Za-z]{33}$/);
    });

    it('refuses any key to a suspended organization', async () => {
      const org = uniqueOrg();
      await approveFullAccess(org);
      expect((await call('POST', `${tier.url}/v1/orgs/${org}/suspend`, { reason: 'spam' })).status).toBe(200);
      for (const purpose of ['trial', 'production']) {
        expect(await issue(org, { purpose, name: 'k' })).toMatchObject({
          status: 409,
          body: { code: 'ACCESS.ORGANIZATION_SUSPENDED' },
        });
      }
    });

    it.each([
      ['no purpose', { name: 'k' }, 'purpose'],
      ['an unknown purpose', { purpose: 'staging', name: 'k' }, 'purpose'],
      ['no name', { purpose: 'trial' }, 'name'],
      ['a name too long', { purpose: 'trial', name: 'n'.repeat(129) }, 'name'],
      ['an unknown field', { purpose: 'trial', name: 'k', key: 'mg_trial_mine' }, 'key'],
    ])('answers 400 to %s, naming the field', async (_case, body, field) => {
      const response = await issue(uniqueOrg(), body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain(field);
    });

    it('lets service and admin issue, not analysts', async () => {
      const org = uniqueOrg();
      expect((await issue(org, { purpose: 'trial', name: 'k' }, 'admin')).status).toBe(201);
      expect((await issue(org, { purpose: 'trial', name: 'k' }, 'analyst')).status).toBe(403);
    });
  });

  describe('listing and revoking', () => {
    it('lists every key, revoked ones too, without secrets or digests, for analysts and admins', async () => {
      const org = uniqueOrg();
      const first = (await issue(org, { purpose: 'trial', name: 'first' })).body;
      const second = (await issue(org, { purpose: 'trial', name: 'second', reason: 'CI' })).body;
      expect((await revoke(org, first.keyId, '?reason=rotated')).status).toBe(200);

      const listed = await list(org);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({
        orgId: org,
        keys: [
          {
            keyId: first.keyId,
            prefix: first.prefix,
            purpose: 'trial',
            name: 'first',
            status: 'revoked',
            createdBy: 'platform',
            createdAt: first.createdAt,
            revokedBy: 'ada',
            revokedAt: expect.any(String),
          },
          expect.objectContaining({ keyId: second.keyId, status: 'active', name: 'second' }),
        ],
      });
      for (const key of [first.key, second.key] as string[]) {
        expect(JSON.stringify(listed.body)).not.toContain(key.slice(17));
        expect(JSON.stringify(listed.body)).not.toContain(sha256(key));
      }
      expect((await list(org, 'admin')).status).toBe(200);
      expect((await list(org, 'service')).status).toBe(403);
      expect(await list(uniqueOrg())).toMatchObject({ status: 200, body: { keys: [] } });
    });

    it('revokes a key with 200, refuses it twice with 409, and an unknown key with 404', async () => {
      const org = uniqueOrg();
      const { keyId } = (await issue(org, { purpose: 'trial', name: 'k' })).body;
      expect(await revoke(org, keyId)).toMatchObject({
        status: 200,
        body: { keyId, status: 'revoked', revokedBy: 'ada' },
      });
      const again = await revoke(org, keyId);
      expect(again).toMatchObject({ status: 409, body: { code: 'ACCESS.API_KEY_ALREADY_REVOKED' } });
      expect(again.body.message).toContain('already revoked by ada');
      expect(await revoke(org, 'no-such-key')).toMatchObject({
        status: 404,
        body: { code: 'ACCESS.API_KEY_NOT_FOUND' },
      });
      // A key of another organization is unknown to this one.
      expect((await revoke(uniqueOrg(), keyId)).status).toBe(404);
      expect((await revoke(org, keyId, '?unexpected=1')).status).toBe(400);
      expect((await revoke(org, keyId, '', 'analyst')).status).toBe(403);
    });
  });

  describe('custom models', () => {
    it('refuses an organization without full access: fine-tuning needs it', async () => {
      expect(await registerModel(uniqueOrg(), 'acme-support-v1')).toMatchObject({
        status: 409,
        body: { code: 'ACCESS.MODEL_REQUIRES_FULL_ACCESS' },
      });
    });

    it("registers one once approved, and refuses a shared model's name and its own twice", async () => {
      const org = uniqueOrg();
      await approveFullAccess(org);
      const registered = await registerModel(org, 'acme-support-v1');
      expect(registered).toEqual({
        status: 201,
        body: {
          orgId: org,
          name: 'acme-support-v1',
          registeredBy: 'admin-api',
          registeredAt: expect.any(String),
        },
      });
      for (const name of ['large', 'acme-support-v1']) {
        expect(await registerModel(org, name)).toMatchObject({
          status: 409,
          body: { code: 'ACCESS.MODEL_NAME_TAKEN' },
        });
      }
      for (const name of ['', 'with space', 'm'.repeat(65), '-leading-dash', 12]) {
        expect((await registerModel(org, name)).status).toBe(400);
      }
      expect((await registerModel(org, 'acme-support-v2', 'analyst')).status).toBe(403);
    });

    it('shows the models and key summaries, without digests, in the organization view', async () => {
      const org = uniqueOrg();
      await approveFullAccess(org);
      const key = (await issue(org, { purpose: 'production', name: 'prod' })).body;
      await registerModel(org, 'acme-support-v1');
      const view = await call('GET', `${tier.url}/v1/orgs/${org}`, undefined, as('analyst'));
      expect(view.body).toMatchObject({
        apiKeys: [{ keyId: key.keyId, prefix: key.prefix, purpose: 'production', status: 'active' }],
        models: [{ name: 'acme-support-v1', registeredBy: 'admin-api' }],
      });
      expect((view.body.history as { type: string }[]).map((e) => e.type)).toEqual([
        'FullAccessRequested',
        'FullAccessApproved',
        'ApiKeyIssued',
        'ModelRegistered',
      ]);
      expect(JSON.stringify(view.body)).not.toContain(sha256(key.key));
      expect(JSON.stringify(view.body)).not.toContain((key.key as string).slice(17));
    });
  });

  describe('published through the outbox and projected to org_access', () => {
    it('publishes who issued, revoked and registered, and why, with the resulting keys and models', async () => {
      const org = uniqueOrg();
      await approveFullAccess(org);
      const trial = (await issue(org, { purpose: 'trial', name: 'ci', reason: 'for the CI' })).body;
      const prod = (await issue(org, { purpose: 'production', name: 'prod' })).body;
      await revoke(org, trial.keyId, '?reason=leaked');
      await registerModel(org, 'acme-support-v1');

      const messages = await readTopic(topic, (seen) => seen.filter((m) => m.key === org).length >= 6);
      const mine = messages.filter((m) => m.key === org);
      const facts = mine.map((m) => decodeAccessEventV1(m.value).payload);
      expect(facts.map((f) => f.kind)).toEqual([
        'FullAccessRequested',
        'FullAccessApproved',
        'ApiKeyIssued',
        'ApiKeyIssued',
        'ApiKeyRevoked',
        'ModelRegistered',
      ]);
      expect(facts[2]).toMatchObject({
        actor: 'platform',
        keyId: trial.keyId,
        prefix: trial.prefix,
        purpose: 'trial',
        name: 'ci',
        digest: sha256(trial.key),
        reason: 'for the CI',
      });
      expect(facts[4]).toMatchObject({
        kind: 'ApiKeyRevoked',
        actor: 'ada',
        keyId: trial.keyId,
        reason: 'leaked',
      });
      expect(facts[5].access).toMatchObject({
        tier: 'production',
        apiKeys: [
          { keyId: prod.keyId, prefix: prod.prefix, purpose: 'production', digest: sha256(prod.key) },
        ],
        models: ['acme-support-v1'],
      });
      for (const key of [trial.key, prod.key] as string[]) {
        expect(JSON.stringify(mine)).not.toContain(key.slice(17));
      }

      projector = await startProjector(db, topic);
      const row = await eventually(async () => {
        const [found] = await db.query<{ version: number; api_keys: unknown; models: unknown }>(
          'SELECT version, api_keys, models FROM org_access WHERE org_id = $1',
          [org],
        );
        return found?.version === 6 ? found : undefined;
      }, 20_000);
      expect(row).toEqual({
        version: 6,
        api_keys: [
          { keyId: prod.keyId, prefix: prod.prefix, purpose: 'production', digest: sha256(prod.key) },
        ],
        models: ['acme-support-v1'],
      });
      const [current] = await db.query<{ api_keys: unknown; models: unknown }>(
        'SELECT api_keys, models FROM org_access_current WHERE org_id = $1',
        [org],
      );
      expect(current).toEqual({
        api_keys: [{ keyId: prod.keyId, prefix: prod.prefix, purpose: 'production' }],
        models: ['acme-support-v1'],
      });
    });

    it('leaves org_access as it was when a second projector group applies every event again', async () => {
      const [{ events }] = await db.query<{ events: number }>(
        'SELECT count(*)::int AS events FROM access_outbox',
      );
      // Every group's offsets are stored beside the rows: a group is done when they cover every event.
      const groupsDone = (groups: number) =>
        eventually(async () => {
          const applied = await db.query<{ applied: string }>(
            'SELECT sum(next_offset) AS applied FROM consumer_offsets WHERE topic = $1 GROUP BY consumer_group',
            [topic],
          );
          return applied.length === groups && applied.every((g) => Number(g.applied) >= events);
        }, 20_000);
      expect(await groupsDone(1)).toBe(true);
      const before = await db.query('SELECT * FROM org_access ORDER BY org_id');
      expect(before.length).toBeGreaterThan(5);

      replayer = await startProjector(db, topic);
      expect(await groupsDone(2)).toBe(true);
      expect(await db.query('SELECT * FROM org_access ORDER BY org_id')).toEqual(before);
    });
  });
});
