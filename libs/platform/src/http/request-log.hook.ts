import type { FastifyInstance } from 'fastify';
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
 *
 * A Fastify hook rather than nestjs-pino's middleware: that middleware goes through middie, which
 * copies hostname, ip and query onto every raw request before matching paths, and on these routes it
 * never ran (no request line was ever written) while costing every request its matching.
 */
export function logRequests(
  fastify: FastifyInstance,
  unlogged: readonly string[],
  logger: () => Logger | undefined = () => PinoLogger.root,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const log = logger();
    const level = reply.statusCode >= 500 ? 'error' : 'debug';
    const url = request.url;
    if (
      log?.isLevelEnabled(level) &&
      !PROBES.some((prefix) => url.startsWith(prefix)) &&
      (level === 'error' || !unlogged.some((prefix) => url.startsWith(prefix)))
    ) {
      log[level](
        { reqId: request.id, req: request.raw, res: reply.raw, responseTime: Math.round(reply.elapsedTime) },
        'request completed',
      );
    }
    done();
  });
}
