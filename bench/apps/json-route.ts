import { createServer, type ServerResponse } from 'node:http';
import { authorized } from './bearer';

export interface Check {
  orgId: string;
  endpoint: string;
}

export interface Reply {
  body: unknown;
  headers: Record<string, string>;
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

/**
 * POST /v1/decisions on a bare node:http server, as a user would write the route without a framework:
 * the bearer token checked (bearer.ts), the body read and parsed with JSON.parse, orgId and endpoint
 * required, the answer serialized with JSON.stringify. `GET /health` lets the bench wait for it.
 */
export function serveDecisions(port: number, decide: (check: Check) => Reply | Promise<Reply>): void {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' }, {});
    if (req.method !== 'POST' || req.url !== '/v1/decisions') {
      return send(res, 404, { message: 'not found' }, {});
    }
    if (!authorized(req.headers.authorization)) {
      return send(res, 401, { message: 'the bearer token is not valid' }, {});
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let check: Check;
      try {
        check = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Check;
      } catch {
        return send(res, 400, { message: 'the body is not JSON' }, {});
      }
      if (typeof check?.orgId !== 'string' || typeof check.endpoint !== 'string') {
        return send(res, 400, { message: 'orgId and endpoint are required' }, {});
      }
      const reply = decide(check);
      if (!(reply instanceof Promise)) return send(res, 200, reply.body, reply.headers);
      reply.then(
        (r) => send(res, 200, r.body, r.headers),
        (error: Error) => send(res, 500, { message: error.message }, {}),
      );
    });
  });
  // As long as the apps' Fastify keeps idle connections, so that clients reuse them alike.
  server.keepAliveTimeout = 72_000;
  server.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => process.exit(0));
}
