import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AuthGuard } from './auth/auth.guard';
import { AuthTokens } from './auth/auth-tokens';
import { ACCESS_POLICY, loadAccessPolicyFile } from './config/access-policy.file';
import { PlatformConfig } from './config/platform.config';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness-checks';
import { REDACTED_LOG_PATHS } from './http/request-log.hook';
import { MetricsController } from './metrics/metrics.controller';

/**
 * Health, readiness, metrics, structured logs and the validated config, the same in every app. The
 * app's own config class is its injection token; PlatformConfig resolves to the same instance.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig): DynamicModule {
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
            redact: REDACTED_LOG_PATHS,
          },
          // Request lines come from logRequests (bootstrap), a Fastify hook, not from this middleware.
          forRoutes: [],
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
