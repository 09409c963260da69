import { DynamicModule, INestApplication } from '@nestjs/common';
import { bootstrapHttpApp } from '@metergate/platform';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testBrokers, uniqueName } from './test-kafka';

export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Boots an app in this process exactly as main.ts does, on a free port. */
export async function startApp(name: string, module: DynamicModule, bodyLimit?: number): Promise<RunningApp> {
  const app = await bootstrapHttpApp(module, { name, port: 0, ...(bodyLimit ? { bodyLimit } : {}) });
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Environment for an app under test: quiet logs, the tests' broker, its own database and topics. */
export function testEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    KAFKA_BROKERS: testBrokers.join(','),
    KAFKA_TOPIC_PARTITIONS: '3',
    // Denials are published and projected by apps that most tests do not look at: a topic of their own
    // keeps other runs' denials out of a test's offsets.
    DENIALS_TOPIC: uniqueName('decision.denials.v1'),
    // The broker the test run uses (global-setup's), not the apps' default.
    ...(process.env.KAFKA_BROKERS && { KAFKA_BROKERS: process.env.KAFKA_BROKERS }),
    ...overrides,
  };
}

/** Sends the admin development token unless the caller passes its own `authorization`. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer dev-admin', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}
