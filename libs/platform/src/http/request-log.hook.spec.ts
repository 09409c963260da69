import Fastify, { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_LOG_PATHS, RequestLog, logRequests } from './request-log.hook';

async function serve(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  });
  // The app's logger: pino-http's serializers and the platform's redaction.
  const logger = pino(
    {
      level,
      serializers: { req: pino.stdSerializers.req, res: pino.stdSerializers.res },
      redact: REDACTED_LOG_PATHS,
    },
    sink,
  );
  const app = Fastify();
  logRequests(app, new RequestLog(['/v1/decisions'], () => logger));
  app.get('/v1/things/:id', () => ({ ok: true }));
  app.post('/v1/decisions', () => ({ allowed: true }));
  app.post('/v1/decisions/boom', () => {
    throw new Error('boom');
  });
  app.get('/health', () => ({ status: 'ok' }));
  app.get('/health/ready', (_request, reply) => reply.code(503).send({ status: 'starting' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const call = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: method === 'POST' ? { 'content-type': 'application/json', ...headers } : headers,
      body: method === 'POST' ? '{}' : undefined,
    }).then((response) => response.text());
  apps.push(app);
  // The hook runs once the answer is written, which may be just after the client has read it.
  const logged = async (count: number) => {
    for (let i = 0; i < 200 && lines.length < count; i += 1) await new Promise((r) => setTimeout(r, 5));
    return lines;
  };
  return { call, logged };
}

const apps: FastifyInstance[] = [];
const summary = (line: Record<string, unknown>) => {
  const { req, res } = line as { req: { method: string; url: string }; res: { statusCode: number } };
  return `${req.method} ${req.url} ${res.statusCode}`;
};
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('logRequests', () => {
  it('writes one debug line per answered request, with method, url, status and time', async () => {
    const { call, logged } = await serve('debug');
    await call('GET', '/v1/things/7?x=1', { authorization: 'Bearer s3cret' });
    await call('GET', '/nowhere');
    const lines = await logged(2);
    expect(lines.map((l) => [l.level, l.msg, l.reqId, summary(l)])).toEqual([
      [20, 'request completed', 'req-1', 'GET /v1/things/7?x=1 200'],
      [20, 'request completed', 'req-2', 'GET /nowhere 404'],
    ]);
    expect(typeof lines[0].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it("leaves out probes (even unready) and unlogged prefixes, except these prefixes' server errors", async () => {
    const { call, logged } = await serve('debug');
    await call('GET', '/health');
    await call('GET', '/health/ready');
    await call('POST', '/v1/decisions');
    await call('POST', '/v1/decisions/boom');
    const lines = await logged(1);
    expect(lines.map((l) => [l.level, summary(l)])).toEqual([[50, 'POST /v1/decisions/boom 500']]);
  });

  it('writes nothing for answered requests at info, and still logs a 5xx', async () => {
    const { call, logged } = await serve('info');
    await call('GET', '/v1/things/1');
    await call('POST', '/v1/decisions/boom');
    expect((await logged(1)).map((l) => l.level)).toEqual([50]);
  });
});
