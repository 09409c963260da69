import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { resolve } from 'node:path';
import { loadConfig } from '@metergate/platform';
import { ConsoleAssets } from './console-assets';
import { ConsoleConfig } from './console.config';
import { ConsoleHttpController } from './console.http.controller';
import { WhoamiHttpController } from './whoami.http.controller';

/** The web console (apps/console, built into CONSOLE_DIR) at /console, and the role probe it signs in with. */
@Module({
  controllers: [ConsoleHttpController, WhoamiHttpController],
  providers: [
    {
      provide: ConsoleAssets,
      useFactory: () => ConsoleAssets.load(resolve(loadConfig(ConsoleConfig).CONSOLE_DIR)),
    },
  ],
})
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * `/console/` as typed by people: Nest drops a route's trailing slash, so the redirect is Fastify's own
   * route (added before the app listens).
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get('/console/', (_request, reply) => reply.redirect('/console', 302));
  }
}
