import { createHash } from 'node:crypto';
import { loadConfig } from '../config/load-config';
import { PlatformConfig } from '../config/platform.config';
import { AuthTokens, bearerToken, parseAuthTokens } from './auth-tokens';

const hex = (token: string) => createHash('sha256').update(token).digest('hex');

describe('parseAuthTokens', () => {
  it('reads plain and hashed tokens with their roles', () => {
    const { entries, problems } = parseAuthTokens(`service:svc-token-1, analyst:sha256:${hex('an-token-1')}`);
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.role)).toEqual(['service', 'analyst']);
  });

  it.each([
    ['reader:some-token', 'entry 1 must start with one of service, analyst, admin'],
    ['service', 'entry 1 must start with one of service, analyst, admin'],
    ['admin:sha256:abc', 'entry 1 (admin) must give sha256: followed by 64 hexadecimal digits'],
    ['admin:short', 'entry 1 (admin) must have a token of at least 8 characters'],
    ['service:good-token-1,analyst:has space', 'entry 2 (analyst) must have a token'],
  ])('rejects %j', (raw, message) => {
    expect(parseAuthTokens(raw).problems.join('\n')).toContain(message);
  });

  it('never quotes a token in its problems', () => {
    expect(parseAuthTokens('admin:secret 1234').problems.join()).not.toContain('secret');
  });
});

describe('AuthTokens', () => {
  const tokens = AuthTokens.fromConfig(
    `service:svc-token-1,analyst:sha256:${hex('an-token-1')},admin:adm-token-1`,
    'production',
  );

  it('allows a role listed for the route', () => {
    expect(tokens.authorize('Bearer svc-token-1', ['service'])).toEqual({ kind: 'allowed', role: 'service' });
    expect(tokens.authorize('bearer an-token-1', ['analyst'])).toEqual({ kind: 'allowed', role: 'analyst' });
  });

  it('lets admin do everything', () => {
    expect(tokens.authorize('Bearer adm-token-1', ['service'])).toEqual({ kind: 'allowed', role: 'admin' });
    expect(tokens.authorize('Bearer adm-token-1', [])).toEqual({ kind: 'allowed', role: 'admin' });
  });

  it('answers unauthenticated for a missing, malformed or unknown token', () => {
    for (const header of [
      undefined,
      '',
      'svc-token-1',
      'Basic svc-token-1',
      'Bearer',
      'Bearer nope-nope-1',
    ]) {
      expect(tokens.authorize(header, ['service']).kind).toBe('unauthenticated');
    }
  });

  it('does not accept the hash itself as a token', () => {
    expect(tokens.authorize(`Bearer ${hex('an-token-1')}`, ['analyst']).kind).toBe('unauthenticated');
  });

  it('answers forbidden for a valid token of another role', () => {
    expect(tokens.authorize('Bearer an-token-1', ['service'])).toEqual({
      kind: 'forbidden',
      message: 'this requires the role service or admin',
    });
  });

  it("judges a connection's repeated token by its roles, and any other value afresh", () => {
    const connection = {};
    expect(tokens.authorize('Bearer an-token-1', ['analyst'], connection).kind).toBe('allowed');
    expect(tokens.authorize('Bearer an-token-1', ['analyst'], connection).kind).toBe('allowed');
    expect(tokens.authorize('Bearer an-token-1', ['service'], connection).kind).toBe('forbidden');
    expect(tokens.authorize('Bearer an-token-2', ['analyst'], connection).kind).toBe('unauthenticated');
    expect(tokens.authorize(undefined, ['analyst'], connection).kind).toBe('unauthenticated');
    // An invalid value does not replace the connection's valid one, nor is it remembered itself.
    expect(tokens.authorize('Bearer an-token-1', ['analyst'], connection).kind).toBe('allowed');
    expect(tokens.authorize('Bearer svc-token-1', ['service'], connection).kind).toBe('allowed');
    expect(tokens.authorize('Bearer an-token-1', ['analyst'], {}).kind).toBe('allowed');
    expect(tokens.authorize('Bearer svc-token-1', ['analyst'], connection).kind).toBe('forbidden');
  });

  it('uses the development tokens when none are configured outside production', () => {
    const dev = AuthTokens.fromConfig('', 'development');
    expect(dev.usingDevelopmentDefaults).toBe(true);
    expect(dev.authorize('Bearer dev-analyst', ['analyst']).kind).toBe('allowed');
    expect(dev.authorize('Bearer dev-admin', []).kind).toBe('allowed');
    expect(dev.authorize('Bearer dev-service', ['analyst']).kind).toBe('forbidden');
  });

  it('refuses to serve in production without tokens, and accepts none meanwhile', () => {
    const missing = AuthTokens.fromConfig(undefined, 'production');
    expect(() => missing.assertServable()).toThrow('AUTH_TOKENS must be set when NODE_ENV=production');
    expect(missing.authorize('Bearer dev-admin', []).kind).toBe('unauthenticated');
    expect(() => AuthTokens.fromConfig('admin:adm-token-1', 'production').assertServable()).not.toThrow();
    expect(() => AuthTokens.fromConfig('', 'development').assertServable()).not.toThrow();
  });
});

describe('AUTH_TOKENS in the platform config', () => {
  it('loads a production config without tokens, for tools that serve nothing (the admin CLI)', () => {
    expect(loadConfig(PlatformConfig, { NODE_ENV: 'production' }).AUTH_TOKENS).toBe('');
  });

  it('never shows the tokens when AUTH_TOKENS is wrong', () => {
    const load = () => loadConfig(PlatformConfig, { AUTH_TOKENS: 'admin:very-secret-1,root:other-secret' });
    expect(load).toThrow(/AUTH_TOKENS=\(hidden\): AUTH_TOKENS: entry 2 must start/);
    expect(load).not.toThrow(/secret/);
  });

  it('stops on a malformed entry', () => {
    expect(() => loadConfig(PlatformConfig, { AUTH_TOKENS: 'root:whatever-token' })).toThrow(
      /AUTH_TOKENS: entry 1 must start with one of/,
    );
  });

  it('accepts tokens in production', () => {
    expect(
      loadConfig(PlatformConfig, { NODE_ENV: 'production', AUTH_TOKENS: 'admin:adm-token-1' }).AUTH_TOKENS,
    ).toBe('admin:adm-token-1');
  });
});

describe('bearerToken', () => {
  it('takes the token after the scheme', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});
