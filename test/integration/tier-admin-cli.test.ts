import { CliUsageError } from '../../apps/tier/src/admin/admin-cli';
import { adminCliFixture, application, call, uniqueOrg } from './tier-support';

jest.setTimeout(60_000);

// The admin CLI's commands run through the very command and query buses the HTTP API uses.
describe('admin CLI commands', () => {
  const cli = adminCliFixture('tier_cli');
  const { admin } = cli;

  it('lists the queue, approves from it, and records the admin as reviewer', async () => {
    const org = uniqueOrg();
    const { body } = await call('POST', `${cli.tier.url}/v1/orgs/${org}/applications`, application());
    const queue = await admin('queue');
    expect(queue).toContain('1 pending application(s), oldest first:');
    expect(queue).toContain(`${body.applicationId}  org ${org}`);

    expect(await admin('approve', body.applicationId, '--note', 'ok by me')).toBe(
      `Application ${body.applicationId} approved; organization ${org} is on tier production.`,
    );
    const view = (await call('GET', `${cli.tier.url}/v1/orgs/${org}`)).body;
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

  it('sets limits of the general form with repeated --limit, as the API stores them', async () => {
    const org = uniqueOrg();
    const printed = await admin(
      'set-limit',
      org,
      'generate',
      '--limit',
      'chars:PT1M:40000:large',
      '--limit',
      'calls:P1D:none',
      '--per-minute',
      '600',
    );
    expect(printed).toContain('generate: 600/min, tier/day, 40000 chars/PT1M (large), no cap calls/P1D');
    const view = (await call('GET', `${cli.tier.url}/v1/orgs/${org}`)).body;
    expect(view.limitOverrides).toEqual({
      generate: {
        perMinute: 600,
        limits: [
          { unit: 'chars', window: 'PT1M', limit: 40_000, model: 'large' },
          { unit: 'calls', window: 'P1D', limit: null },
        ],
      },
    });
    expect(await admin('set-limit', org, 'embed', '--limit', 'chars:lifetime:1000')).toContain(
      'embed: 1000 chars/lifetime',
    );
    expect(await admin('show', org)).toMatch(/#2 .* LimitOverrideSet by ada .*endpoint=embed/);
  });

  it('refuses a bad --limit before running anything, and what the rules refuse with their code', async () => {
    const org = uniqueOrg();
    await expect(admin('set-limit', org, 'generate', '--limit', 'chars:PT1M')).rejects.toThrow(
      /expected unit:window:limit\[:model\]/,
    );
    await expect(admin('set-limit', org, 'generate', '--limit', 'chars:PT1M:lots')).rejects.toThrow(
      /the limit must be a whole number or none/,
    );
    await expect(admin('set-limit', org, 'generate', '--limit', 'tokens:PT1M:5')).rejects.toThrow(
      /limits\[0\]\.unit must be calls or chars/,
    );
    await expect(admin('set-limit', org, 'generate', '--limit', 'chars:PT1M:5:huge')).rejects.toMatchObject({
      code: 'ACCESS.UNKNOWN_MODEL',
      field: 'limits[0].model',
    });
    await expect(
      admin('set-limit', org, 'generate', '--limit', 'calls:PT1H:5', '--limit', 'calls:PT60M:6'),
    ).rejects.toMatchObject({ code: 'ACCESS.DUPLICATE_LIMIT', field: 'limits[1]' });
    expect((await call('GET', `${cli.tier.url}/v1/orgs/${org}`)).body.version).toBe(0);
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
