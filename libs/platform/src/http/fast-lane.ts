import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { RouteMetrics } from '../metrics/http-metrics.hook';
import { RequestLog } from './request-log.hook';

/** What a lane route answers: JSON text, its status and headers of its own (lower-case names). */
export interface LaneAnswer {
  status: number;
  json: string;
  headers?: Record<string, string>;
}

/** A JSON route served ahead of Fastify; see FastLane. */
export interface LaneRoute {
  method: 'POST';
  /** Matched exactly, the query string aside, as Fastify's router does. */
  path: string;
  /** Whether the lane serves this request (say, its token is valid); when not, Fastify answers it. */
  accepts(request: IncomingMessage): boolean;
  /** The answer to the parsed body; may throw whatever `fail` turns into an answer. */
  answer(body: unknown): LaneAnswer;
  /** The answer to an error thrown by `answer` or by the body's parser, as the Fastify route gives it. */
  fail(error: unknown): LaneAnswer;
}

export interface FastLaneOptions {
  /** Bodies up to this many bytes are served here; larger ones go to Fastify, which answers 413. */
  bodyLimit: number;
  /** The app's JSON body parser, throwing the error its Fastify parser gives for a malformed body. */
  parseJson(text: string): unknown;
  log: RequestLog;
}

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A few JSON routes answered on the Node server ahead of Fastify and Nest, for the ones that run before
 * every call a gateway lets through: Fastify's request and reply objects, its hook chain, Nest's own
 * hooks and its middleware runner cost about as much as a decision (a third more checks per core
 * without them, measured in the bench's load). A request takes the lane only in the plain case: its
 * method and path, a JSON content type, a Content-Length within the body limit, and a route that
 * accepts it (a valid token). Anything else (no or a bad token, another content type, a chunked or too
 * large body) goes to Fastify untouched, whose routes answer it as before. What the lane answers is what
 * the Fastify route answers: the same handler, serializer and error bodies, the same `connection: close`
 * after a malformed body, the same request metrics and log lines.
 */
export class FastLane {
  private readonly routes = new Map<string, { route: LaneRoute; metrics: RouteMetrics }>();
  private open = true;

  constructor(private readonly options: FastLaneOptions) {}

  add(route: LaneRoute): void {
    this.routes.set(`${route.method} ${route.path}`, { route, metrics: new RouteMetrics(route.path) });
  }

  /**
   * Puts the lane in front of the server's request listeners (Fastify's), once they are all added; an
   * app without lane routes keeps Fastify alone in front.
   */
  takeOver(server: Server): void {
    if (this.routes.size === 0) return;
    const behind = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.open && this.serve(req, res)) return;
      for (const listener of behind) listener.call(server, req, res);
    });
  }

  /**
   * From now on every request goes to Fastify, which answers those arriving while it closes with a 503
   * (`return503OnClosing`), as before the lane.
   */
  close(): void {
    this.open = false;
  }

  private serve(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const entry = this.routes.get(`${req.method} ${query < 0 ? url : url.slice(0, query)}`);
    if (entry === undefined) return false;
    const headers = req.headers;
    const length = Number(headers['content-length']);
    if (
      !JSON_TYPES.has(headers['content-type'] ?? '') ||
      !(length > 0 && length <= this.options.bodyLimit) ||
      headers['transfer-encoding'] !== undefined ||
      !entry.route.accepts(req)
    ) {
      return false;
    }
    const startedAt = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The client left mid-body: there is no one to answer (Node destroys the socket).
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      this.respond(entry.route, res, body.toString('utf8'));
      const elapsedMs = performance.now() - startedAt;
      entry.metrics.record(req.method!, res.statusCode, elapsedMs);
      this.options.log.answered(req, res, elapsedMs);
    });
    return true;
  }

  private respond(route: LaneRoute, res: ServerResponse, text: string): void {
    let answer: LaneAnswer;
    let malformed = false;
    try {
      const body = this.options.parseJson(text);
      try {
        answer = route.answer(body);
      } catch (error) {
        answer = route.fail(error);
      }
    } catch (error) {
      // As Fastify does after a body it could not parse: the client may be sending more.
      malformed = true;
      answer = route.fail(error);
    }
    const headers: Record<string, string | number> = malformed ? { connection: 'close' } : {};
    Object.assign(headers, answer.headers);
    headers['content-type'] = JSON_CONTENT_TYPE;
    headers['content-length'] = Buffer.byteLength(answer.json);
    res.writeHead(answer.status, headers);
    res.end(answer.json);
  }
}
