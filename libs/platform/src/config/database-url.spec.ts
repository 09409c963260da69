import { hidePassword, isPostgresUrl } from './database-url';

describe('isPostgresUrl', () => {
  it.each([
    'postgres://postgres@127.0.0.1:5432/metergate',
    'postgresql://u:p%40ss@db.internal/metergate?sslmode=require',
    'postgres://[::1]:5432/x',
  ])('accepts %s', (value) => {
    expect(isPostgresUrl(value)).toBe(true);
  });

  it.each([
    ['another scheme', 'mysql://u:secret@host/db'],
    ['a bracket that is not an IPv6 address', 'postgres://u:secret@[db/x'],
    ['a port out of range', 'postgres://u:secret@host:99999/db'],
    ['no host', 'postgres:///db'],
    ['a space', 'postgres://u:secret@host name/db'],
    ['no scheme', 'u:secret@host/db'],
  ])('refuses %s', (_name, value) => {
    expect(isPostgresUrl(value)).toBe(false);
  });
});

describe('hidePassword', () => {
  it.each([
    ['a valid URL', 'postgres://admin:s3cret@db:5432/m', 'postgres://admin:***@db:5432/m'],
    ['a malformed one', 'postgres://admin:s3cret@[db/m', 'postgres://admin:***@[db/m'],
    ['a password holding @ and /', 'postgres://admin:p@ss/w@rd@db/m', 'postgres://admin:***@db/m'],
    ['an empty user', 'postgres://:s3cret@db/m', 'postgres://:***@db/m'],
    ['no scheme', 'admin:s3cret@db/m', 'admin:***@db/m'],
    [
      'a password parameter',
      'postgres://db/m?user=a&password=s3cret&x=1',
      'postgres://db/m?user=a&password=***&x=1',
    ],
    ['an sslpassword parameter', 'postgres://db/m?sslpassword=s3cret', 'postgres://db/m?sslpassword=***'],
  ])('hides the password of %s', (_name, value, shown) => {
    expect(hidePassword(value)).toBe(shown);
    expect(hidePassword(value)).not.toContain('s3cret');
  });

  it.each(['postgres://postgres@127.0.0.1:5432/metergate', 'postgres://db:5432/m', 'mysql://x'])(
    'leaves %s, which holds no password, as it is',
    (value) => {
      expect(hidePassword(value)).toBe(value);
    },
  );
});
