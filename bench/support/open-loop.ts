import { Agent, request } from 'node:http';
import { type GrpcMethod, grpcClients } from './grpc-load';
import { BENCH_AUTHORIZATION } from './processes';
import { percentile } from './report';

/** A request that leaves later than this after its intended time is counted as late. */
export const LATE_MS = 1;
const REQUEST_TIMEOUT_MS = 10_000;

/** Sends one request and calls `done` once it is answered (or has failed). */
export interface Sender {
  send(payload: unknown, done: (ok: boolean) => void): void;
  /** Requests that found every connection of the pool busy (HTTP only; 0 for HTTP/2). */
  poolExhausted(): number;
  close(): void;
}

export interface OpenLoopResult {
  /** Requests per second actually scheduled (the offered rate). */
  offered: number;
  sent: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Requests that left more than LATE_MS after their intended send time, and the latest of them. */
  late: number;
  maxLateMs: number;
  /** Requests that found every connection of the pool busy, in this load. */
  poolExhausted: number;
}

/**
 * An open-loop load: request i is due at start + i / rate whatever happened to the earlier ones, and
 * its latency runs from that intended time to its answer. A slow answer therefore shows in the
 * latencies of every request scheduled behind it rather than delaying them out of sight (coordinated
 * omission). The generator's own delay is part of the latency and is reported (`late`).
 */
export async function openLoop(
  sender: Sender,
  payloads: unknown[],
  rate: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  let failures = 0;
  let late = 0;
  let maxLateMs = 0;
  let answered = 0;
  let allAnswered!: () => void;
  const finished = new Promise<void>((resolve) => (allAnswered = resolve));
  const start = performance.now() + 10;
  let next = 0;
  const exhaustedBefore = sender.poolExhausted();
  const tick = () => {
    const now = performance.now();
    while (next < total && start + next * intervalMs <= now) {
      const intended = start + next * intervalMs;
      const lateBy = now - intended;
      if (lateBy > LATE_MS) late += 1;
      if (lateBy > maxLateMs) maxLateMs = lateBy;
      sender.send(payloads[next % payloads.length], (ok) => {
        latencies.push(performance.now() - intended);
        if (!ok) failures += 1;
        answered += 1;
        if (answered === total) allAnswered();
      });
      next += 1;
    }
    // Timers have millisecond resolution: waking at the floor of the wait keeps lateness under a tick.
    if (next < total) setTimeout(tick, Math.floor(start + next * intervalMs - performance.now()));
  };
  tick();
  await finished;
  latencies.sort((a, b) => a - b);
  return {
    offered: total / seconds,
    sent: total,
    failures,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    p999Ms: percentile(latencies, 99.9),
    maxMs: latencies[latencies.length - 1],
    late,
    maxLateMs,
    poolExhausted: sender.poolExhausted() - exhaustedBefore,
  };
}

/**
 * POSTs each payload (a JSON body, as a string) to `url` over a keep-alive pool of up to `pool` connections (opened as
 * needed, reused most recent first), so that the schedule never waits for a free connection as long as
 * fewer than `pool` requests are in flight; the requests that found the pool full are counted.
 */
export function httpSender(url: string, pool: number): Sender {
  const agent = new Agent({ keepAlive: true, maxSockets: pool, maxFreeSockets: pool, scheduling: 'lifo' });
  const { hostname, port, pathname } = new URL(url);
  let inFlight = 0;
  let exhausted = 0;
  return {
    send(payload, done) {
      const body = payload as string;
      if (inFlight >= pool) exhausted += 1;
      inFlight += 1;
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        inFlight -= 1;
        done(ok);
      };
      const req = request(
        {
          agent,
          hostname,
          port,
          path: pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: BENCH_AUTHORIZATION,
          },
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          res.resume();
          res.once('end', () => settle(res.statusCode !== undefined && res.statusCode < 300));
          res.once('error', () => settle(false));
        },
      );
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => settle(false));
      req.end(body);
    },
    poolExhausted: () => exhausted,
    close: () => agent.destroy(),
  };
}

/** Unary calls of `method`, each payload a request, spread in turn over `channels` HTTP/2 connections. */
export function grpcSender(address: string, method: GrpcMethod, channels: number): Sender {
  const { clients, call } = grpcClients(address, method, channels);
  let next = 0;
  return {
    send: (request, done) => call(clients[(next = (next + 1) % clients.length)], request, done),
    poolExhausted: () => 0,
    close: () => clients.forEach((client) => client.close()),
  };
}
