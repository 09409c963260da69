import { AccessEvent, evolveAccessAll, initialAccess } from '@metergate/policy';
import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, uniqueName } from '../support/test-kafka';
import { application, call, startProjector, startTier, uniqueOrg } from '../integration/tier-support';

const orgIds = (applications: { orgId: string }[]) => applications.map((a) => a.orgId);

interface OrgAccessRow {
  tier: string;
  status: string;
  limit_overrides: unknown;
  version: number;
  updated_at: Date;
}

// Booting apps and waiting on Kafka consumer groups takes seconds, not jest's default 5.
jest.setTimeout(60_000);

// The review process as people use it: tier app and projector booted as in production, the event
// reaching org_access through Kafka. (The decision API's side, generate allowed again after approval,
// belongs to the decision app and is tested there.)
describe('full-access review, end to end: HTTP -> event store -> outbox -> Kafka -> projector -> org_access', () => {
  let db: TestDatabase;
  let tier: RunningApp;
  let projector: RunningApp;
  let replayer: RunningApp | undefined;
  const topic = uniqueName('access.events.v1');

  beforeAll(async () => {
    db = await TestDatabase.create('tier_flow');
    await createTopic(topic, 3);
    tier = await startTier(db, topic);
    projector = await startProjector(db, topic);
  });

  afterAll(async () => {
    await replayer?.close();
    await projector?.close();
    await tier?.close();
    await db?.drop();
  });

  const orgAccess = async (orgId: string) =>
    (
      await db.query<OrgAccessRow>(
        'SELECT tier, status, limit_overrides, version, updated_at FROM org_access WHERE org_id = $1',
        [orgId],
      )
    )[0];
  const projected = (orgId: string, version: number) =>
    eventually(async () => {
      const row = await orgAccess(orgId);
      return row && row.version >= version ? row : undefined;
    });

  const acme = uniqueOrg('acme');
  const globex = uniqueOrg('globex');

  it('queues applications oldest first, approves one, and the projector moves it to production', async () => {
    const first = await call(
      'POST',
      `${tier.url}/v1/orgs/${acme}/applications`,
      application('sam@acme.test'),
    );
    expect(first).toEqual({ status: 201, body: { applicationId: expect.any(String), status: 'pending' } });
    const second = await call(
      'POST',
      `${tier.url}/v1/orgs/${globex}/applications`,
      application('gil@globex.test'),
    );
    expect(second.status).toBe(201);

    const queue = await call('GET', `${tier.url}/v1/applications?status=pending`);
    expect(queue.status).toBe(200);
    expect(orgIds(queue.body.applications)).toEqual([acme, globex]);
    expect(queue.body.applications[0]).toMatchObject({
      applicationId: first.body.applicationId,
      status: 'pending',
      submittedBy: 'sam@acme.test',
      useCase: application().useCase,
    });

    const approved = await call('POST', `${tier.url}/v1/applications/${first.body.applicationId}/approve`, {
      reviewer: 'rita',
      note: 'clear use case, human in the loop',
    });
    expect(approved).toEqual({
      status: 200,
      body: { applicationId: first.body.applicationId, orgId: acme, status: 'approved', tier: 'production' },
    });

    const remaining = await call('GET', `${tier.url}/v1/applications?status=pending`);
    expect(orgIds(remaining.body.applications)).toEqual([globex]);

    const row = await projected(acme, 2);
    expect(row).toMatchObject({ tier: 'production', status: 'active', limit_overrides: {}, version: 2 });

    const view = (await call('GET', `${tier.url}/v1/orgs/${acme}`)).body;
    expect(view).toMatchObject({
      orgId: acme,
      tier: 'production',
      status: 'active',
      limitOverrides: {},
      version: 2,
    });
    expect(view.applications).toEqual([
      expect.objectContaining({
        applicationId: first.body.applicationId,
        status: 'approved',
        decidedBy: 'rita',
        note: 'clear use case, human in the loop',
      }),
    ]);
    expect(view.history).toEqual([
      expect.objectContaining({ version: 1, type: 'FullAccessRequested', by: 'sam@acme.test' }),
      expect.objectContaining({ version: 2, type: 'FullAccessApproved', by: 'rita', tier: 'production' }),
    ]);
  });

  it('rejects with a reason, and the organization may apply again', async () => {
    const [pending] = (await call('GET', `${tier.url}/v1/applications`)).body.applications;
    const rejected = await call('POST', `${tier.url}/v1/applications/${pending.applicationId}/reject`, {
      reviewer: 'rob',
      reason: 'risks section left empty in spirit',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', tier: 'trial' });
    const decided = (await call('GET', `${tier.url}/v1/applications?status=rejected`)).body.applications;
    expect(decided).toEqual([
      expect.objectContaining({ orgId: globex, reason: 'risks section left empty in spirit' }),
    ]);

    expect(
      (await call('POST', `${tier.url}/v1/orgs/${globex}/applications`, application('gil@globex.test')))
        .status,
    ).toBe(201);
    expect(await projected(globex, 3)).toMatchObject({ tier: 'trial', status: 'active', version: 3 });
  });

  it('projects admin changes: suspension, limit overrides, reinstatement, tier override', async () => {
    const admin = { 'x-actor': 'ada@metergate.test' };
    expect(
      (await call('POST', `${tier.url}/v1/orgs/${acme}/suspend`, { reason: 'guideline 4.2' }, admin)).status,
    ).toBe(200);
    expect(await projected(acme, 3)).toMatchObject({ status: 'suspended' });

    const limits = await call(
      'PUT',
      `${tier.url}/v1/orgs/${acme}/limits`,
      { endpoint: 'generate', perDay: 250_000, perMinute: null },
      admin,
    );
    expect(limits).toMatchObject({
      status: 200,
      body: { version: 4, limitOverrides: { generate: { perDay: 250_000, perMinute: null } } },
    });
    expect(
      (await call('POST', `${tier.url}/v1/orgs/${acme}/reinstate`, { reason: 'appeal upheld' }, admin))
        .status,
    ).toBe(200);
    expect(
      (await call('PUT', `${tier.url}/v1/orgs/${acme}/limits`, { endpoint: 'embed', perMinute: 900 }, admin))
        .status,
    ).toBe(200);
    expect((await call('DELETE', `${tier.url}/v1/orgs/${acme}/limits/embed`, undefined, admin)).status).toBe(
      200,
    );
    expect(
      (
        await call(
          'PUT',
          `${tier.url}/v1/orgs/${acme}/tier`,
          { tier: 'trial', reason: 'contract ended' },
          admin,
        )
      ).body,
    ).toMatchObject({ tier: 'trial', version: 8 });

    expect(await projected(acme, 8)).toMatchObject({
      tier: 'trial',
      status: 'active',
      limit_overrides: { generate: { perDay: 250_000, perMinute: null } },
      version: 8,
    });
    const history = (await call('GET', `${tier.url}/v1/orgs/${acme}`)).body.history;
    expect((history as { type: string; by: string }[]).slice(2).map((e) => [e.type, e.by])).toEqual([
      ['OrganizationSuspended', 'ada@metergate.test'],
      ['LimitOverrideSet', 'ada@metergate.test'],
      ['OrganizationReinstated', 'ada@metergate.test'],
      ['LimitOverrideSet', 'ada@metergate.test'],
      ['LimitOverrideRemoved', 'ada@metergate.test'],
      ['TierChanged', 'ada@metergate.test'],
    ]);
  });

  it('rebuilds each aggregate from its stored events into exactly the state the API shows', async () => {
    for (const orgId of [acme, globex]) {
      const stored = await db.query<{ data: AccessEvent }>(
        'SELECT data FROM access_events WHERE org_id = $1 ORDER BY version',
        [orgId],
      );
      const rebuilt = evolveAccessAll(
        initialAccess(orgId, { defaultTier: 'trial' }),
        stored.map((row) => row.data),
      );
      const { history, ...shown } = (await call('GET', `${tier.url}/v1/orgs/${orgId}`)).body;
      expect(shown).toEqual(rebuilt);
      expect(history).toHaveLength(stored.length);
    }
  });

  it('leaves org_access unchanged when a second projector group replays the whole topic', async () => {
    const before = await orgAccess(acme);
    replayer = await startProjector(db, topic);
    const [{ events }] = await db.query<{ events: number }>(
      'SELECT count(*)::int AS events FROM access_outbox',
    );
    // Every group's offsets are stored beside the rows; the replaying group is done when its offsets
    // cover every event (the sum of next offsets over partitions counts the messages it applied).
    const replayed = await eventually(async () => {
      const groups = await db.query<{ applied: string }>(
        `SELECT sum(next_offset) AS applied FROM consumer_offsets WHERE topic = $1 GROUP BY consumer_group`,
        [topic],
      );
      return groups.length === 2 && groups.every((g) => Number(g.applied) >= events);
    }, 20_000);
    expect(replayed).toBe(true);
    expect(await orgAccess(acme)).toEqual(before);
  });
});
