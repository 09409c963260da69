import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, uniqueName } from '../support/test-kafka';
import { application, call, startTier, startTierUnconnected, uniqueOrg } from './tier-support';

// Booting apps and waiting on Kafka consumer groups takes seconds, not jest's default 5.
jest.setTimeout(60_000);

// The tier app against the real PostgreSQL and Kafka: what the rules refuse, and how.
describe('tier service: refused commands and concurrent reviews', () => {
  let db: TestDatabase;
  let tier: RunningApp;
  const topic = uniqueName('access.events.v1');

  beforeAll(async () => {
    db = await TestDatabase.create('tier_rules');
    await createTopic(topic, 3);
    tier = await startTier(db, topic);
  });

  afterAll(async () => {
    await tier?.close();
    await db?.drop();
  });

  const submit = async (orgId: string) =>
    call('POST', `${tier.url}/v1/orgs/${orgId}/applications`, application());
  const approve = async (id: string, reviewer = 'rita') =>
    call('POST', `${tier.url}/v1/applications/${id}/approve`, { reviewer });
  const reject = async (id: string) =>
    call('POST', `${tier.url}/v1/applications/${id}/reject`, {
      reviewer: 'rita',
      reason: 'unclear use case',
    });

  describe('forbidden transitions answer 409 saying why', () => {
    it('approving an application that was already approved', async () => {
      const { body } = await submit(uniqueOrg());
      expect((await approve(body.applicationId)).status).toBe(200);
      const again = await approve(body.applicationId, 'rob');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'ACCESS.APPLICATION_ALREADY_DECIDED' });
      expect(again.body.message).toContain('was already approved by rita');
    });

    it('approving an application that was rejected', async () => {
      const { body } = await submit(uniqueOrg());
      expect((await reject(body.applicationId)).status).toBe(200);
      const response = await approve(body.applicationId);
      expect(response).toMatchObject({ status: 409, body: { code: 'ACCESS.APPLICATION_ALREADY_DECIDED' } });
      expect(response.body.message).toContain('was already rejected');
    });

    it('rejecting an application that was approved', async () => {
      const { body } = await submit(uniqueOrg());
      await approve(body.applicationId);
      expect(await reject(body.applicationId)).toMatchObject({
        status: 409,
        body: { code: 'ACCESS.APPLICATION_ALREADY_DECIDED' },
      });
    });

    it('applying while an application is pending', async () => {
      const org = uniqueOrg();
      const first = await submit(org);
      const second = await submit(org);
      expect(second.status).toBe(409);
      expect(second.body.message).toContain(`already has application ${first.body.applicationId} pending`);
    });

    it('applying while already on production', async () => {
      const org = uniqueOrg();
      await approve((await submit(org)).body.applicationId);
      const response = await submit(org);
      expect(response.status).toBe(409);
      expect(response.body.message).toContain('already on tier production');
    });

    it('applying while suspended', async () => {
      const org = uniqueOrg();
      await call('POST', `${tier.url}/v1/orgs/${org}/suspend`, { reason: 'spam' });
      expect(await submit(org)).toMatchObject({
        status: 409,
        body: { code: 'ACCESS.ORGANIZATION_SUSPENDED' },
      });
    });

    it('approving while the organization is suspended', async () => {
      const org = uniqueOrg();
      const { body } = await submit(org);
      await call('POST', `${tier.url}/v1/orgs/${org}/suspend`, { reason: 'abuse report' });
      const response = await approve(body.applicationId);
      expect(response.status).toBe(409);
      expect(response.body.message).toContain('reinstate it first');
    });

    it('reinstating an active organization', async () => {
      const response = await call('POST', `${tier.url}/v1/orgs/${uniqueOrg()}/reinstate`);
      expect(response.status).toBe(409);
      expect(response.body.message).toMatch(/is active; only a suspended organization can be reinstated/);
    });

    it('suspending a suspended organization', async () => {
      const org = uniqueOrg();
      expect((await call('POST', `${tier.url}/v1/orgs/${org}/suspend`, { reason: 'spam' })).status).toBe(200);
      const again = await call('POST', `${tier.url}/v1/orgs/${org}/suspend`, { reason: 'spam' });
      expect(again).toMatchObject({ status: 409, body: { code: 'ACCESS.ALREADY_SUSPENDED' } });
    });

    it('changing to the tier the organization is already on', async () => {
      const response = await call('PUT', `${tier.url}/v1/orgs/${uniqueOrg()}/tier`, {
        tier: 'trial',
        reason: 'x',
      });
      expect(response).toMatchObject({ status: 409, body: { code: 'ACCESS.ALREADY_ON_TIER' } });
    });
  });

  describe('unknown things answer 404', () => {
    it('approving or rejecting an application that does not exist', async () => {
      for (const response of [await approve('no-such-application'), await reject('no-such-application')]) {
        expect(response).toMatchObject({ status: 404, body: { code: 'ACCESS.APPLICATION_NOT_FOUND' } });
      }
    });

    it('removing a limit override the organization does not have', async () => {
      const response = await call('DELETE', `${tier.url}/v1/orgs/${uniqueOrg()}/limits/generate`);
      expect(response).toMatchObject({ status: 404, body: { code: 'ACCESS.NO_LIMIT_OVERRIDE' } });
    });
  });

  describe('bad input answers 400 naming the field, and changes nothing', () => {
    it.each([
      ['commitment', { ...application(), commitment: false }],
      ['useCase', { ...application(), useCase: '' }],
      ['submittedBy', { ...application(), submittedBy: undefined }],
      ['plan', { ...application(), plan: 'gold' }],
    ])('an application with a bad %s', async (field, body) => {
      const org = uniqueOrg();
      const response = await call('POST', `${tier.url}/v1/orgs/${org}/applications`, body);
      expect(response.status).toBe(400);
      expect((response.body.problems as { field: string }[]).map((p) => p.field)).toContain(field);
      expect((await call('GET', `${tier.url}/v1/orgs/${org}`)).body.version).toBe(0);
    });

    it('an orgId outside [A-Za-z0-9_-]', async () => {
      const response = await call('POST', `${tier.url}/v1/orgs/bad%20org/applications`, application());
      expect(response.status).toBe(400);
      expect(response.body.problems[0].field).toBe('orgId');
    });

    it('a rejection without a reason', async () => {
      const { body } = await submit(uniqueOrg());
      const response = await call('POST', `${tier.url}/v1/applications/${body.applicationId}/reject`, {
        reviewer: 'rita',
      });
      expect(response.status).toBe(400);
      expect(response.body.problems[0].field).toBe('reason');
    });

    it('an approval without a reviewer', async () => {
      const { body } = await submit(uniqueOrg());
      const response = await call('POST', `${tier.url}/v1/applications/${body.applicationId}/approve`, {});
      expect(response.status).toBe(400);
      expect(response.body.problems[0].field).toBe('reviewer');
    });

    it('a tier the policy does not define', async () => {
      const response = await call('PUT', `${tier.url}/v1/orgs/${uniqueOrg()}/tier`, {
        tier: 'gold',
        reason: 'vip',
      });
      expect(response).toMatchObject({ status: 400, body: { code: 'ACCESS.UNKNOWN_TIER' } });
      expect(response.body.problems[0].field).toBe('tier');
    });

    it('a limit for an unknown endpoint, or with no window, or a negative cap', async () => {
      const url = `${tier.url}/v1/orgs/${uniqueOrg()}/limits`;
      const cases: [unknown, string][] = [
        [{ endpoint: 'rerank', perDay: 5 }, 'endpoint'],
        [{ endpoint: 'generate' }, 'perMinute'],
        [{ endpoint: 'generate', perDay: -1 }, 'perDay'],
      ];
      for (const [body, field] of cases) {
        const response = await call('PUT', url, body);
        expect(response.status).toBe(400);
        expect(response.body.problems[0].field).toBe(field);
      }
    });

    it('a queue filter that is not a status', async () => {
      const response = await call('GET', `${tier.url}/v1/applications?status=lost`);
      expect(response.status).toBe(400);
      expect(response.body.problems[0].field).toBe('status');
    });
  });

  describe('two reviewers acting on one application at once', () => {
    it('lets exactly one approval win; the other gets 409 and the stream has one approval', async () => {
      const org = uniqueOrg();
      const { body } = await submit(org);
      const results = await Promise.all(
        ['rita', 'rob', 'ria', 'ron', 'rae', 'rex'].map((reviewer) => approve(body.applicationId, reviewer)),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(results.length - 1);
      for (const loser of results.filter((r) => r.status === 409)) {
        expect(loser.body.code).toMatch(/ACCESS.CONCURRENT_CHANGE|ACCESS.APPLICATION_ALREADY_DECIDED/);
      }
      const events = await db.query<{ type: string }>(
        'SELECT type FROM access_events WHERE org_id = $1 ORDER BY version',
        [org],
      );
      expect(events.map((e) => e.type)).toEqual(['FullAccessRequested', 'FullAccessApproved']);
    });

    it('refuses the loser of a race on the same version with a message saying why', async () => {
      const org = uniqueOrg();
      await submit(org);
      // Suspend and tier change decided on the same version: whichever commits second loses, never lost silently.
      const [a, b] = await Promise.all([
        call('POST', `${tier.url}/v1/orgs/${org}/suspend`, { reason: 'abuse' }),
        call('PUT', `${tier.url}/v1/orgs/${org}/tier`, { tier: 'production', reason: 'deal' }),
      ]);
      const statuses = [a.status, b.status].sort();
      const view = (await call('GET', `${tier.url}/v1/orgs/${org}`)).body;
      expect(view.version).toBe(1 + statuses.filter((s) => s === 200).length);
      for (const loser of [a, b].filter((r) => r.status !== 200)) {
        expect(loser.status).toBe(409);
        expect(loser.body.message).toMatch(/changed by another command at the same time/);
      }
    });
  });

  it('keeps the event store append-only', async () => {
    const org = uniqueOrg();
    await submit(org);
    await expect(
      db.query('UPDATE access_events SET actor = $1 WHERE org_id = $2', ['mallory', org]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM access_events WHERE org_id = $1', [org])).rejects.toThrow(
      /append-only/,
    );
  });

  it('answers 503 with Retry-After while PostgreSQL is unreachable, instead of failing obscurely', async () => {
    // Port 1 on loopback: nothing listens, so every connection attempt is refused at once.
    const offline = await startTierUnconnected('postgres://postgres@127.0.0.1:1/nowhere', topic);
    try {
      const response = await fetch(`${offline.url}/v1/orgs/${uniqueOrg()}/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer dev-service' },
        body: JSON.stringify(application()),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
    } finally {
      await offline.close();
    }
  });
});
