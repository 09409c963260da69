import type { FastifyInstance } from 'fastify';
import { counter, histogram } from './metric';

const requests = counter({
  name: 'http_requests_total',
  help: 'HTTP requests by route, method and status.',
  labelNames: ['method', 'route', 'status'] as const,
});

const duration = histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route and method.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

/**
 * Measured once the response is sent, so that errors raised anywhere (parsers, pipes, guards, filters)
 * carry their real status. Labels use the route pattern, never the raw URL, so org ids cannot blow up
 * the metric's cardinality.
 */
export function recordHttpMetrics(fastify: FastifyInstance): void {
  // The series of each method, route and status, bound once: prom-client would otherwise hash the
  // labels twice per request. Few: methods are Node's, routes are patterns, statuses are codes.
  const series = new Map<string, { count: { inc(): void }; time: { observe(value: number): void } }>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let bound = series.get(key);
    if (!bound) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      bound = { count: requests.labels(labels), time: duration.labels(labels) };
      series.set(key, bound);
    }
    bound.count.inc();
    bound.time.observe(reply.elapsedTime / 1000);
    done();
  });
}
