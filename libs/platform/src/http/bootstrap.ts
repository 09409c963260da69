import { BadRequestException, DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyBodyParser } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import { collectDefaultMetrics } from 'prom-client';
import { AuthTokens } from '../auth/auth-tokens';
import { ConfigError } from '../config/load-config';
import { PlatformConfig } from '../config/platform.config';
import { recordHttpMetrics } from '../metrics/http-metrics.hook';
import { logRequests } from './request-log.hook';
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
  recordHttpMetrics(adapter.getInstance());
  logRequests(adapter.getInstance(), options.unloggedRoutes ?? []);
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.get(AuthTokens).assertServable();
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.useBodyParser('application/json', { bodyLimit }, jsonBodyParser(adapter));
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
 * answers with the same JSON shape as validation errors.
 */
function jsonBodyParser(adapter: FastifyAdapter): FastifyBodyParser<Buffer> {
  const parse = adapter.getInstance().getDefaultJsonParser('error', 'error');
  return (request, body, done) =>
    parse(request, body.toString('utf8'), (error, parsed) => {
      if (!error) return done(null, parsed);
      done(
        new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: `malformed JSON body: ${error.message}`,
        }),
      );
    });
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
