import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTier } from '../integration/tier-support';
import { RunningApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { uniqueName } from '../support/test-kafka';

const INDEX =
  '<!doctype html><title>console</title><script type="module" src="/console/assets/app-1a2b.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;

// The tier app's side of the console, in process: which files it serves from CONSOLE_DIR, with which
// headers, and what it answers when the console was not built.
describe('the tier app serving the console', () => {
  let db: TestDatabase;
  let built: RunningApp;
  let unbuilt: RunningApp;
  const dir = mkdtempSync(join(tmpdir(), 'metergate-console-dir-'));
  const saved = process.env.CONSOLE_DIR;

  const get = async (app: RunningApp, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.url}${path}`, { headers, redirect: 'manual' });
    return {
      status: response.status,
      headers: response.headers,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets/app-1a2b.js'), SCRIPT);
    writeFileSync(join(dir, 'assets/app-1a2b.js.map'), '{}');
    db = await TestDatabase.create('console_serving');
    process.env.CONSOLE_DIR = dir;
    built = await startTier(db, uniqueName('access.events.v1'));
    process.env.CONSOLE_DIR = join(dir, 'missing');
    unbuilt = await startTier(db, uniqueName('access.events.v1'));
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.CONSOLE_DIR;
    else process.env.CONSOLE_DIR = saved;
    await built?.close();
    await unbuilt?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page without a token, under the Content-Security-Policy, never cached stale', async () => {
    const page = await get(built, '/console');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe(INDEX);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await get(built, '/console/')).headers.get('location')).toBe('/console');
  });

  it('serves hashed assets for good, gzipped when asked, and answers 304 to a matching ETag', async () => {
    const plain = await get(built, '/console/assets/app-1a2b.js');
    expect(plain.body.toString()).toBe(SCRIPT);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const gzipped = await get(built, '/console/assets/app-1a2b.js', { 'accept-encoding': 'gzip' });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    // fetch undoes the gzip; the length on the wire is the header's.
    expect(Number(gzipped.headers.get('content-length'))).toBeLessThan(SCRIPT.length / 10);
    expect(gzipped.body.toString()).toBe(SCRIPT);
    const again = await get(built, '/console/assets/app-1a2b.js', {
      'if-none-match': plain.headers.get('etag')!,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves nothing but the files it was built with', async () => {
    for (const path of [
      '/console/assets/app-1a2b.js.map',
      '/console/assets/..%2Findex.html',
      '/console/assets/..%2F..%2Fpackage.json',
      '/console/nothing.js',
    ]) {
      const response = await get(built, path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('says the console is not built when CONSOLE_DIR has nothing, and serves its APIs all the same', async () => {
    const page = await get(unbuilt, '/console');
    expect(page.status).toBe(404);
    expect(JSON.parse(page.body.toString())).toMatchObject({
      message: `the console is not built (nothing in ${join(dir, 'missing')}): run npm run build`,
    });
    const whoami = await get(unbuilt, '/v1/whoami', { authorization: 'Bearer dev-analyst' });
    expect(JSON.parse(whoami.body.toString())).toEqual({ role: 'analyst' });
    expect((await get(unbuilt, '/v1/whoami')).status).toBe(401);
  });
});
