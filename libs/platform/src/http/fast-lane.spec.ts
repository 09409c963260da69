import { BadRequestException } from '@nestjs/common';
import { IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FastLane } from './fast-lane';
import { RequestLog } from './request-log.hook';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A server whose own listener stands for Fastify: it answers 299 with what reached it. */
async function serve() {
  const bodies: unknown[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(299, { 'content-type': 'text/plain' });
    res.end(`framework: ${req.method} ${req.url}`);
  });
  const lane = new FastLane({
    bodyLimit: 64,
    parseJson: (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new BadRequestException('malformed');
      }
    },
    log: new RequestLog([], () => undefined),
  });
  lane.add({
    method: 'POST',
    path: '/v1/checks',
    accepts: (req) => req.headers.authorization === 'Bearer ok',
    answer: (body) => {
      bodies.push(body);
      if ((body as { fail?: boolean }).fail) throw new Error('refused');
      return { status: 200, json: JSON.stringify({ echo: body }), headers: { 'x-extra': 'yes' } };
    },
    fail: (error) => ({
      status: error instanceof BadRequestException ? 400 : 500,
      json: JSON.stringify({ message: (error as Error).message }),
    }),
  });
  lane.takeOver(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  const call = (options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    chunks?: string[];
  }): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const chunks = options.chunks ?? ['{"a":1}'];
      const whole = chunks.join('');
      // A header given as '' is left out.
      const headers = Object.fromEntries(
        Object.entries({
          authorization: 'Bearer ok',
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(whole)),
          ...options.headers,
        }).filter(([, value]) => value !== ''),
      );
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: options.method ?? 'POST',
          path: options.path ?? '/v1/checks',
          headers,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      // Each chunk written separately, so that a body may reach the server in several reads.
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  return { call, bodies, lane };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('FastLane', () => {
  it('answers a plain JSON request to its route with the route answer, its headers and a length', async () => {
    const { call, bodies } = await serve();
    const answer = await call({ path: '/v1/checks?debug=1', chunks: ['{"a":', '[1,2', ']}'] });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ echo: { a: [1, 2] } });
    expect(answer.headers['x-extra']).toBe('yes');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
    expect(answer.headers.connection).toBe('keep-alive');
    expect(bodies).toEqual([{ a: [1, 2] }]);
  });

  it('accepts the JSON content type with a utf-8 charset', async () => {
    const { call } = await serve();
    const answer = await call({ headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(answer.status).toBe(200);
  });

  it.each([
    ['another method', { method: 'PUT' }],
    ['another path', { path: '/v1/checks/more' }],
    ['a path that differs in case', { path: '/v1/Checks' }],
    ['no token the route accepts', { headers: { authorization: 'Bearer nope' } }],
    ['another content type', { headers: { 'content-type': 'text/plain' } }],
    [
      'a content type with other parameters',
      { headers: { 'content-type': 'application/json; charset=latin1' } },
    ],
    ['a body over the limit', { chunks: [`{"a":"${'x'.repeat(64)}"}`] }],
    ['an empty body', { chunks: [''] }],
    ['a chunked body', { headers: { 'content-length': '', 'transfer-encoding': 'chunked' } }],
  ])('leaves a request with %s to the framework, body unread', async (_case, options) => {
    const { call, bodies } = await serve();
    const answer = await call(options);
    expect(answer.status).toBe(299);
    expect(answer.body).toMatch(/^framework: /);
    expect(bodies).toEqual([]);
  });

  it('leaves the server to the framework alone when it has no routes', () => {
    const server = createServer(() => undefined);
    const before = server.listeners('request');
    new FastLane({ bodyLimit: 64, parseJson: JSON.parse, log: new RequestLog([], () => undefined) }).takeOver(
      server,
    );
    expect(server.listeners('request')).toEqual(before);
  });

  it('leaves every request to the framework once closed', async () => {
    const { call, bodies, lane } = await serve();
    expect((await call({})).status).toBe(200);
    lane.close();
    const answer = await call({});
    expect(answer.status).toBe(299);
    expect(bodies).toHaveLength(1);
  });

  it('answers a malformed body with the route failure and closes the connection, as Fastify does', async () => {
    const { call, bodies } = await serve();
    const answer = await call({ chunks: ['{"a":'] });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ message: 'malformed' });
    expect(answer.headers.connection).toBe('close');
    expect(bodies).toEqual([]);
  });

  it('answers what the route throws with its failure answer, keeping the connection', async () => {
    const { call } = await serve();
    const answer = await call({ chunks: ['{"fail":true}'] });
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ message: 'refused' });
    expect(answer.headers.connection).toBe('keep-alive');
  });
});
