import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { collectDefaultMetrics } from 'prom-client';
import { AuthTokens } from '../auth/auth-tokens';
import { ConfigError } from '../config/load-config';
import { PlatformConfig } from '../config/platform.config';
import { httpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { TlsFiles } from './tls';
import { createValidationPipe } from './validation';

export interface HttpAppOptions {
  name: string;
  port: number;
  /** Largest accepted JSON body; larger ones get 413. */
  bodyLimit?: string;
  /** Serve HTTPS with these (see tlsFiles); plain HTTP without. */
  tls?: TlsFiles;
  /** Runs after the app is created and before it listens (gRPC servers, extra routes). */
  configure?: (app: NestExpressApplication) => Promise<void> | void;
}

// Process-wide: tests boot several apps in one process, and the default metrics register only once.
let defaultMetricsStarted = false;

/**
 * The one way an app starts: JSON logs, strict validation, body limits, /docs, metrics, and a SIGTERM
 * that lets in-flight requests and consumer batches finish (bounded by SHUTDOWN_TIMEOUT_MS).
 */
export async function bootstrapHttpApp(
  module: Type | DynamicModule,
  options: HttpAppOptions,
): Promise<INestApplication> {
  if (!defaultMetricsStarted) {
    collectDefaultMetrics({ labels: { app: options.name } });
    defaultMetricsStarted = true;
  }
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    bodyParser: false,
    ...(options.tls && { httpsOptions: { cert: options.tls.cert, key: options.tls.key } }),
  });
  app.get(AuthTokens).assertServable();
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.use(httpMetricsMiddleware);
  app.useBodyParser('json', { limit: options.bodyLimit ?? '100kb' });
  app.use(bodyParserErrors);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app.set('x-powered-by', false);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(`Metergate ${options.name}`).addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document);

  await options.configure?.(app);
  await app.listen(options.port);
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(`${options.name} listening on ${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`);
  return app;
}

/** Malformed JSON and oversized bodies answer with the same JSON shape as validation errors. */
function bodyParserErrors(failure: unknown, _req: Request, res: Response, next: NextFunction): void {
  const status = (failure as { status?: number } | null)?.status;
  if (status === 400 || status === 413 || status === 415) {
    const [error, message] =
      status === 413
        ? ['Payload Too Large', 'request body is too large']
        : status === 415
          ? ['Unsupported Media Type', 'unsupported content encoding']
          : ['Bad Request', 'malformed JSON body'];
    res.status(status).json({ statusCode: status, error, message });
    return;
  }
  next(failure);
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
