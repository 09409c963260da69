import { DynamicModule, Global, Logger, Module, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AuthGuard } from './auth/auth.guard';
import { AuthTokens } from './auth/auth-tokens';
import { ACCESS_POLICY, loadAccessPolicyFile } from './config/access-policy.file';
import { PlatformConfig } from './config/platform.config';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness-checks';
import { MetricsController } from './metrics/metrics.controller';

/**
 * Health, readiness, metrics, structured logs and the validated config, the same in every app. The
 * app's own config class is its injection token; PlatformConfig resolves to the same instance.
 */
export interface PlatformOptions {
  /**
   * Path prefixes served without the per-request logger (pino-http builds a child logger per request,
   * which costs more than a decision does).
   */
  unloggedRoutes?: string[];
}

@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig, options: PlatformOptions = {}): DynamicModule {
    const unlogged = options.unloggedRoutes ?? [];
    const configClass = config.constructor as new () => PlatformConfig;
    const providers = [
      ReadinessChecks,
      { provide: PlatformConfig, useValue: config },
      { provide: ACCESS_POLICY, useValue: loadAccessPolicyFile(config.ACCESS_POLICY_PATH) },
      // A factory, so that the warning goes through the app's logger once it is set up.
      { provide: AuthTokens, useFactory: () => authTokens(config) },
      ...(configClass === PlatformConfig ? [] : [{ provide: configClass, useValue: config }]),
    ];
    return {
      module: PlatformModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            // Request lines are debug: at the decision API's rates, info-level access logs would cost more
            // than the decisions themselves. Errors still log at their own level.
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'debug'),
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: {
              ignore: (req) => req.url === '/metrics' || (req.url?.startsWith('/health') ?? false),
            },
          },
          exclude: unlogged.map((path) => ({
            method: RequestMethod.ALL,
            path: `${path.replace(/^\//, '')}/{*rest}`,
          })),
        }),
      ],
      controllers: [HealthController, MetricsController],
      // Global, so that a route is closed to all but admins until it names the roles that may call it.
      providers: [...providers, { provide: APP_GUARD, useClass: AuthGuard }],
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}

function authTokens(config: PlatformConfig): AuthTokens {
  const tokens = AuthTokens.fromConfig(config.AUTH_TOKENS, config.NODE_ENV);
  if (tokens.usingDevelopmentDefaults && config.NODE_ENV !== 'test') {
    new Logger('Auth').warn(
      'AUTH_TOKENS is not set: accepting the development tokens dev-service, dev-analyst and dev-admin. ' +
        'Set AUTH_TOKENS before exposing this app.',
    );
  }
  return tokens;
}
