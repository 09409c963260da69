import type { FastifyInstance } from 'fastify';
import { CounterSeries, HistogramSeries, boundCounter, boundHistogram } from './bound-metrics';

const LABELS = ['method', 'route', 'status'] as const;

const requests = boundCounter({
  name: 'http_requests_total',
  help: 'HTTP requests by route, method and status.',
  labelNames: LABELS,
});

const duration = boundHistogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route and method.',
  labelNames: LABELS,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

interface RouteSeries {
  count: CounterSeries;
  time: HistogramSeries;
}

/**
 * Measured once the response is sent, so that errors raised anywhere (parsers, pipes, guards, filters)
 * carry their real status. Labels use the route pattern, never the raw URL, so org ids cannot blow up
 * the metric's cardinality.
 */
export function recordHttpMetrics(fastify: FastifyInstance): void {
  // The series of each method, route and status, bound once. Few: methods are Node's, routes are
  // patterns, statuses are codes. Each route keeps its own (a route's options object is built per
  // request), and requests no route matched share one.
  const unmatched = new Map<string, RouteSeries>();
  const record = (
    known: Map<string, RouteSeries>,
    route: string,
    request: { method: string },
    reply: { statusCode: number; elapsedTime: number },
  ) => {
    const key = `${request.method} ${reply.statusCode}`;
    let bound = known.get(key);
    if (!bound) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      bound = { count: requests.labels(labels), time: duration.labels(labels) };
      known.set(key, bound);
    }
    bound.count.inc();
    bound.time.observe(reply.elapsedTime / 1000);
  };
  fastify.addHook('onRoute', (route) => {
    const known = new Map<string, RouteSeries>();
    const hooks = route.onResponse === undefined ? [] : [route.onResponse].flat();
    route.onResponse = [
      ...hooks,
      (request, reply, done) => {
        record(known, route.url, request, reply);
        done();
      },
    ];
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.is404) record(unmatched, 'unmatched', request, reply);
    done();
  });
}
