import {
  CONSOLE_CONTENT_SECURITY_POLICY,
  acceptsGzip,
  consoleCacheControl,
  consoleContentType,
  isCompressible,
} from './console-http-policy';

describe('the console Content-Security-Policy', () => {
  const directives = new Map(
    CONSOLE_CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
  );

  it('allows scripts, styles and API calls from this origin only', () => {
    for (const name of ['script-src', 'style-src', 'connect-src', 'img-src', 'font-src']) {
      expect(directives.get(name)).toEqual(["'self'"]);
    }
    expect(directives.get('default-src')).toEqual(["'none'"]);
  });

  it('allows no inline code, no framing and no base or form targets', () => {
    expect(CONSOLE_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|data:|\*/);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });
});

describe('serving the built files', () => {
  it('types what Vite builds and nothing else', () => {
    expect(consoleContentType('index.html')).toBe('text/html; charset=utf-8');
    expect(consoleContentType('assets/index-3b1f.JS')).toBe('text/javascript; charset=utf-8');
    expect(consoleContentType('favicon.svg')).toBe('image/svg+xml');
    expect(consoleContentType('assets/index.js.map')).toBeUndefined();
    expect(consoleContentType('README')).toBeUndefined();
  });

  it('lets browsers keep hashed assets for good but asks again for the page', () => {
    expect(consoleCacheControl('assets/index-3b1f.js')).toContain('immutable');
    expect(consoleCacheControl('index.html')).toBe('no-cache');
    expect(consoleCacheControl('favicon.svg')).toBe('no-cache');
  });

  it('compresses text only', () => {
    expect(isCompressible('text/javascript; charset=utf-8')).toBe(true);
    expect(isCompressible('image/svg+xml')).toBe(true);
    expect(isCompressible('image/png')).toBe(false);
  });

  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, GZIP;q=0.5', true],
    ['*', true],
    ['gzip;q=0', false],
    ['br', false],
    [undefined, false],
  ])('reads Accept-Encoding %p as gzip %p', (header, accepted) => {
    expect(acceptsGzip(header)).toBe(accepted);
  });
});
