import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

/** Probes and scrapes, asked every few seconds (a readiness probe answers 503 until ready): never logged. */
const PROBES = ['/health', '/metrics'];

/** What no log line may show: the configured logger redacts these paths. */
export const REDACTED_LOG_PATHS = ['req.headers.authorization', 'req.headers.cookie'];

/**
 * One line per answered request, as pino-http writes it (`request completed` with req, res and
 * responseTime, through the logger's serializers): at debug, or at error for a 5xx. Paths under
 * `unlogged` log only their 5xx.
 */
export class RequestLog {
  constructor(
    private readonly unlogged: readonly string[],
    private readonly logger: () => Logger | undefined = () => PinoLogger.root,
  ) {}

  answered(req: IncomingMessage, res: ServerResponse, elapsedMs: number, reqId?: string): void {
    const log = this.logger();
    const level = res.statusCode >= 500 ? 'error' : 'debug';
    const url = req.url ?? '';
    if (
      log?.isLevelEnabled(level) &&
      !PROBES.some((prefix) => url.startsWith(prefix)) &&
      (level === 'error' || !this.unlogged.some((prefix) => url.startsWith(prefix)))
    ) {
      log[level]({ reqId, req, res, responseTime: Math.round(elapsedMs) }, 'request completed');
    }
  }
}

/**
 * Writes the request log from a Fastify hook rather than nestjs-pino's middleware: that middleware goes
 * through middie, which copies hostname, ip and query onto every raw request before matching paths,
 * and on these routes it never ran (no request line was ever written) while costing every request its
 * matching.
 */
export function logRequests(fastify: FastifyInstance, log: RequestLog): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    log.answered(request.raw, reply.raw, reply.elapsedTime, request.id);
    done();
  });
}
