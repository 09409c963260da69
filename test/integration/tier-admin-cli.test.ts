import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { CliUsageError, runAdminCommand } from '../../apps/tier/src/admin/admin-cli';
import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, uniqueName } from '../support/test-kafka';
import { application, call, startTier, uniqueOrg } from './tier-support';

jest.setTimeout(60_000);

// The admin CLI's commands run through the very command and query buses the HTTP API uses.
describe('admin CLI commands', () => {
  let db: TestDatabase;
  let tier: RunningApp;
  const topic = uniqueName('access.events.v1');
  const admin = (...argv: string[]) =>
    runAdminCommand(argv, { commands: tier.app.get(CommandBus), queries: tier.app.get(QueryBus) }, 'ada');

  beforeAll(async () => {
    db = await TestDatabase.create('tier_cli');
    await createTopic(topic, 3);
    tier = await startTier(db, topic);
  });

  afterAll(async () => {
    await tier?.close();
    await db?.drop();
  });

  it('lists the queue, approves from it, and records the admin as reviewer', async () => {
    const org = uniqueOrg();
    const { body } = await call('POST', `${tier.url}/v1/orgs/${org}/applications`, application());
    const queue = await admin('queue');
    expect(queue).toContain('1 pending application(s), oldest first:');
    expect(queue).toContain(`${body.applicationId}  org ${org}`);

    expect(await admin('approve', body.applicationId, '--note', 'ok by me')).toBe(
      `Application ${body.applicationId} approved; organization ${org} is on tier production.`,
    );
    const view = (await call('GET', `${tier.url}/v1/orgs/${org}`)).body;
    expect(view.applications[0]).toMatchObject({ status: 'approved', decidedBy: 'ada', note: 'ok by me' });
    expect(await admin('queue')).toBe('No pending applications.');
  });

  it('suspends, sets and removes limits, reinstates and changes tier, printing the result', async () => {
    const org = uniqueOrg();
    expect(await admin('suspend', org, '--reason', 'spam', '--by', 'sam')).toContain('status: suspended');
    expect(await admin('set-limit', org, 'generate', '--per-day', '1000', '--per-minute', 'none')).toContain(
      'generate: no cap/min, 1000/day',
    );
    expect(await admin('remove-limit', org, 'generate')).toContain(
      'limit overrides: none (the tier applies)',
    );
    expect(await admin('reinstate', org)).toContain('status: active');
    expect(await admin('change-tier', org, 'production', '--reason', 'enterprise deal')).toContain(
      'tier:   production',
    );
    const history = await admin('show', org);
    expect(history).toMatch(/#1 .* OrganizationSuspended by sam {2}reason=spam/);
    expect(history).toMatch(/#5 .* TierChanged by ada .*to=production.* reason=enterprise deal/);
  });

  it('refuses what the rules forbid with the same errors as the API', async () => {
    await expect(admin('reinstate', uniqueOrg())).rejects.toMatchObject({ code: 'ACCESS.NOT_SUSPENDED' });
    await expect(admin('approve', 'no-such-application')).rejects.toMatchObject({
      code: 'ACCESS.APPLICATION_NOT_FOUND',
    });
  });

  it('refuses bad input before running anything, naming the argument', async () => {
    await expect(admin('reject', 'some-id')).rejects.toThrow(CliUsageError);
    await expect(admin('reject', 'some-id')).rejects.toThrow(/reason/);
    await expect(admin('suspend', 'bad org', '--reason', 'x')).rejects.toThrow(/orgId/);
    await expect(admin('set-limit', uniqueOrg(), 'generate', '--per-day', 'lots')).rejects.toThrow(
      /--per-day/,
    );
    await expect(admin('launch')).rejects.toThrow(/unknown command launch/);
  });
});
