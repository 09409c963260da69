import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram } from 'prom-client';

const requests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests by route, method and status.',
  labelNames: ['method', 'route', 'status'] as const,
});

const duration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route and method.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

/**
 * Measured on 'finish' so that errors raised anywhere (pipes, guards, filters) carry their real status.
 * Labels use the route pattern, never the raw URL, so org ids cannot blow up the metric's cardinality.
 */
export function httpMetricsMiddleware(request: Request, response: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  response.once('finish', () => {
    const routePath = (request.route as { path?: string } | undefined)?.path;
    const route = routePath ? `${request.baseUrl}${routePath}` : 'unmatched';
    const labels = { method: request.method, route, status: String(response.statusCode) };
    requests.inc(labels);
    duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  });
  next();
}
