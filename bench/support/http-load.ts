import autocannon from 'autocannon';
import { type Agent, request } from 'node:http';
import { BENCH_AUTHORIZATION } from './processes';

export interface HttpLoad {
  url: string;
  /** Bodies sent in turn, one per request (one per organization, for instance)... */
  bodies?: string[];
  /** ...or the body of the i-th request (requests that must differ, e.g. by request id). */
  body?: (i: number) => string;
  connections: number;
  durationSeconds: number;
}

export interface HttpLoadResult {
  /** 2xx answers per second over the run. */
  okPerSecond: number;
  failures: number;
}

/**
 * A closed-loop load with autocannon: each connection sends its next request as soon as the previous
 * one is answered, so this measures how many answers a server gives, not latency (open-loop.ts does).
 */
export async function httpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  let next = 0;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.durationSeconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: BENCH_AUTHORIZATION },
        setupRequest: (request) => {
          request.body = load.body ? load.body(next) : load.bodies![next % load.bodies!.length];
          next += 1;
          return request;
        },
      },
    ],
  });
  return {
    okPerSecond: result['2xx'] / result.duration,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/** Posts one JSON body and returns the parsed answer; throws on a non-2xx status. */
export async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: BENCH_AUTHORIZATION },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/**
 * POSTs one JSON body over `agent` (a keep-alive pool the caller warms, so that a burst of these leaves
 * together instead of waiting on new connections) and returns the parsed answer; throws on non-2xx.
 */
export function postOver(agent: Agent, url: string, body: unknown): Promise<unknown> {
  const text = JSON.stringify(body);
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        hostname,
        port,
        path: pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          authorization: BENCH_AUTHORIZATION,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => {
          const answer = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === undefined || res.statusCode >= 300)
            reject(new Error(`${url} answered ${res.statusCode}: ${answer}`));
          else resolve(JSON.parse(answer));
        });
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(text);
  });
}
