import { ensureDatabase } from './ensure-database';

describe('ensureDatabase', () => {
  it('refuses a malformed URL before connecting, without its password', async () => {
    const attempt = ensureDatabase('postgres://admin:s3cr3t@[db/metergate');
    await expect(attempt).rejects.toThrow('not a postgres:// URL: postgres://admin:***@[db/metergate');
    await expect(ensureDatabase('postgres://admin:s3cr3t@[db/metergate')).rejects.not.toThrow(/s3cr3t/);
  });
});
