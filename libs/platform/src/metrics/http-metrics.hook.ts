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
 * The series of one route (its pattern, never the raw URL, so org ids cannot blow up the metric's
 * cardinality), bound once per method and status: few, as methods are Node's and statuses are codes.
 */
export class RouteMetrics {
  private readonly bound = new Map<string, RouteSeries>();

  constructor(private readonly route: string) {}

  record(method: string, status: number, elapsedMs: number): void {
    const key = `${method} ${status}`;
    let series = this.bound.get(key);
    if (!series) {
      const labels = { method, route: this.route, status: String(status) };
      series = { count: requests.labels(labels), time: duration.labels(labels) };
      this.bound.set(key, series);
    }
    series.count.inc();
    series.time.observe(elapsedMs / 1000);
  }
}

/**
 * Measured once the response is sent, so that errors raised anywhere (parsers, pipes, guards, filters)
 * carry their real status. Each route keeps its own series (a route's options object is built per
 * request); requests no route matched share one.
 */
export function recordHttpMetrics(fastify: FastifyInstance): void {
  const unmatched = new RouteMetrics('unmatched');
  fastify.addHook('onRoute', (route) => {
    const metrics = new RouteMetrics(route.url);
    const hooks = route.onResponse === undefined ? [] : [route.onResponse].flat();
    route.onResponse = [
      ...hooks,
      (request, reply, done) => {
        metrics.record(request.method, reply.statusCode, reply.elapsedTime);
        done();
      },
    ];
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.is404) unmatched.record(request.method, reply.statusCode, reply.elapsedTime);
    done();
  });
}
