import { BadRequestException, DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import { collectDefaultMetrics } from 'prom-client';
import { AuthTokens } from '../auth/auth-tokens';
import { ConfigError } from '../config/load-config';
import { PlatformConfig } from '../config/platform.config';
import { recordHttpMetrics } from '../metrics/http-metrics.hook';
import { FastLane } from './fast-lane';
import { RequestLog, logRequests } from './request-log.hook';
import { TlsFiles } from './tls';
import { createValidationPipe } from './validation';

export interface HttpAppOptions {
  name: string;
  port: number;
  /** Largest accepted JSON body in bytes; larger ones get 413. */
  bodyLimit?: number;
  /** Path prefixes whose answered requests are not logged line by line (their 5xx still are). */
  unloggedRoutes?: string[];
  /** Serve HTTPS with these (see tlsFiles); plain HTTP without. */
  tls?: TlsFiles;
  /** Runs after the app is created and before it listens (gRPC servers, extra routes). */
  configure?: (app: NestFastifyApplication) => Promise<void> | void;
}

const DEFAULT_BODY_LIMIT = 100 * 1024;

declare module 'fastify' {
  interface FastifyInstance {
    /** Routes served ahead of Fastify (see FastLane); it takes the server over once Fastify is ready. */
    fastLane: FastLane;
  }
}

// Process-wide: tests boot several apps in one process, and the default metrics register only once.
let defaultMetricsStarted = false;

/**
 * The one way an app starts: JSON logs, strict validation, body limits, /docs, metrics, and a SIGTERM
 * that lets in-flight requests and consumer batches finish (bounded by SHUTDOWN_TIMEOUT_MS).
 *
 * Fastify rather than Express: on these machines Nest on Express answered a constant route at about a
 * tenth of a bare node:http server, Nest on Fastify at about half (bench/RESULTS.md), and the decision
 * API is called before every gateway call.
 */
export async function bootstrapHttpApp(
  module: Type | DynamicModule,
  options: HttpAppOptions,
): Promise<INestApplication> {
  if (!defaultMetricsStarted) {
    collectDefaultMetrics({ labels: { app: options.name } });
    defaultMetricsStarted = true;
  }
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const adapter = new FastifyAdapter({
    bodyLimit,
    ...(options.tls && { https: { cert: options.tls.cert, key: options.tls.key } }),
  });
  const fastify = adapter.getInstance();
  const requestLog = new RequestLog(options.unloggedRoutes ?? []);
  const parseJson = jsonTextParser(fastify);
  recordHttpMetrics(fastify);
  logRequests(fastify, requestLog);
  const lane = new FastLane({ bodyLimit, parseJson, log: requestLog });
  fastify.decorate('fastLane', lane);
  fastify.addHook('onReady', (done) => {
    lane.takeOver(fastify.server);
    done();
  });
  fastify.addHook('preClose', (done) => {
    lane.close();
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.get(AuthTokens).assertServable();
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.useBodyParser('application/json', { bodyLimit }, jsonBodyParser(parseJson));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(`Metergate ${options.name}`).addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document);

  await options.configure?.(app);
  await app.listen(options.port, '0.0.0.0');
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(`${options.name} listening on ${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`);
  return app;
}

/**
 * Fastify's own JSON parser (it refuses `__proto__` and `constructor.prototype` keys); malformed JSON
 * throws a 400 with the same JSON shape as validation errors.
 */
function jsonTextParser(fastify: FastifyInstance): (text: string) => unknown {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (text) => {
    let result: { error: Error | null; value?: unknown } = { error: null };
    // Synchronous: Fastify's default parser calls back before it returns.
    void parse(undefined as never, text, (error, value) => (result = { error, value }));
    if (result.error) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `malformed JSON body: ${result.error.message}`,
      });
    }
    return result.value;
  };
}

function jsonBodyParser(parseJson: (text: string) => unknown): FastifyBodyParser<Buffer> {
  return (_request, body, done) => {
    let parsed: unknown;
    try {
      parsed = parseJson(body.toString('utf8'));
    } catch (error) {
      return done(error as Error);
    }
    done(null, parsed);
  };
}

/** A stuck connection must not keep a stopping process alive forever. */
function armShutdownDeadline(timeoutMs: number): void {
  process.once('SIGTERM', () => setTimeout(() => process.exit(1), timeoutMs).unref());
  process.once('SIGINT', () => setTimeout(() => process.exit(1), timeoutMs).unref());
}

/**
 * Runs an app's bootstrap as the process's main; a configuration error prints its message and exits
 * without a stack trace.
 */
export function runMain(bootstrap: () => Promise<INestApplication>): void {
  bootstrap().then(
    (app) => armShutdownDeadline(app.get(PlatformConfig).SHUTDOWN_TIMEOUT_MS),
    (error: unknown) => {
      if (error instanceof ConfigError) console.error(error.message);
      else console.error(error);
      process.exit(1);
    },
  );
}
