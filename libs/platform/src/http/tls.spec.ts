import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsFiles } from './tls';

describe('tlsFiles', () => {
  it('is undefined when neither file is named', () => {
    expect(tlsFiles({})).toBeUndefined();
  });

  it('refuses one file without the other', () => {
    expect(() => tlsFiles({ TLS_CERT_FILE: 'cert.pem' })).toThrow(
      'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    );
    expect(() => tlsFiles({ TLS_KEY_FILE: 'key.pem' })).toThrow('must be set together');
  });

  it('names the variable of a file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    writeFileSync(join(dir, 'cert.pem'), 'CERT');
    expect(() =>
      tlsFiles({ TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'missing.pem') }),
    ).toThrow(/^TLS_KEY_FILE=.*missing\.pem: cannot read the file/);
  });
});
