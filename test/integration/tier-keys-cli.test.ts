import { CliUsageError } from '../../apps/tier/src/admin/admin-cli';
import { adminCliFixture, call, uniqueOrg } from './tier-support';

jest.setTimeout(60_000);

// issue-key, list-keys, revoke-key and register-model run through the buses the HTTP API uses.
describe('admin CLI: API keys and custom models', () => {
  const cli = adminCliFixture('tier_keys_cli');
  const { admin } = cli;

  it('issues a key and prints it once, lists it by prefix, and revokes it', async () => {
    const org = uniqueOrg();
    const issued = await admin('issue-key', org, 'trial', '--name', 'load test', '--reason', 'bench');
    const key = /^ {2}(mg_trial_[0-9A-Za-z]{33})$/m.exec(issued)?.[1];
    expect(key).toBeDefined();
    const keyId = /^Key (\S+) \(trial, "load test"\) issued to organization /.exec(issued)?.[1];
    expect(issued).toContain(`${key!.slice(0, 17)} names it in lists`);

    const listed = await admin('list-keys', org);
    expect(listed).toContain(`1 key(s) of organization ${org}, oldest first:`);
    expect(listed).toMatch(
      new RegExp(`${keyId}  ${key!.slice(0, 17)}…  trial  active  "load test"  created .* by ada`),
    );
    expect(listed).not.toContain(key!.slice(17));

    expect(await admin('revoke-key', org, keyId!, '--reason', 'done', '--by', 'sam')).toBe(
      `Key ${keyId} (${key!.slice(0, 17)}…) of organization ${org} revoked by sam.`,
    );
    expect(await admin('list-keys', org)).toMatch(/ trial {2}revoked .* revoked .* by sam$/m);
    const shown = await admin('show', org);
    expect(shown).toMatch(/#1 .* ApiKeyIssued by ada .*prefix=mg_trial_/);
    expect(shown).toMatch(/#2 .* ApiKeyRevoked by sam .*reason=done/);
    expect(shown).not.toContain('keyDigest');
    expect(await admin('list-keys', uniqueOrg())).toMatch(/has no API keys\.$/);
  });

  it('refuses a production key on trial and issues one after a tier change, like the API', async () => {
    const org = uniqueOrg();
    await expect(admin('issue-key', org, 'production', '--name', 'prod')).rejects.toMatchObject({
      code: 'ACCESS.PRODUCTION_KEY_REQUIRES_FULL_ACCESS',
    });
    await admin('change-tier', org, 'production', '--reason', 'enterprise contract');
    expect(await admin('issue-key', org, 'production', '--name', 'prod')).toMatch(/^ {2}mg_prod_\w{33}$/m);
    await expect(admin('revoke-key', org, 'no-such-key')).rejects.toMatchObject({
      code: 'ACCESS.API_KEY_NOT_FOUND',
    });
  });

  it('registers a custom model for an organization with full access, and the API shows it', async () => {
    const org = uniqueOrg();
    await expect(admin('register-model', org, 'acme-v1')).rejects.toMatchObject({
      code: 'ACCESS.MODEL_REQUIRES_FULL_ACCESS',
    });
    await admin('change-tier', org, 'production', '--reason', 'enterprise contract');
    expect(await admin('register-model', org, 'acme-v1')).toBe(
      `Model acme-v1 registered for organization ${org} by ada.`,
    );
    expect(await admin('show', org)).toMatch(/ {2}models:\n {4}acme-v1 {2}registered .* by ada/);
    expect((await call('GET', `${cli.tier.url}/v1/orgs/${org}`)).body.models).toEqual([
      expect.objectContaining({ name: 'acme-v1', registeredBy: 'ada' }),
    ]);
  });

  it('refuses bad input before running anything, naming the argument', async () => {
    const org = uniqueOrg();
    await expect(admin('issue-key', org, 'trial')).rejects.toThrow(CliUsageError);
    await expect(admin('issue-key', org, 'trial')).rejects.toThrow(/name/);
    await expect(admin('issue-key', org, 'staging', '--name', 'x')).rejects.toThrow(/purpose must be one of/);
    await expect(admin('issue-key', 'bad org', 'trial', '--name', 'x')).rejects.toThrow(/orgId/);
    await expect(admin('revoke-key', org)).rejects.toThrow(/expected <orgId> <keyId>/);
    await expect(admin('register-model', org, 'has space')).rejects.toThrow(/name must be 1 to 64/);
    expect(await admin('list-keys', org)).toMatch(/has no API keys/);
  });
});
