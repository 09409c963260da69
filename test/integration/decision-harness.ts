import { INestApplication } from '@nestjs/common';
import {
  AccessEventV1,
  AccessState,
  CALL_ADMITTED,
  CallAdmittedV1,
  DecisionAnswer,
  USAGE_RECORDED,
  UsageRecordedV1,
} from '@metergate/contracts';
import { bootstrapHttpApp, loadConfig } from '@metergate/platform';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Producer } from 'kafkajs';
import { DecisionConfig } from '../../apps/decision/src/decision.config';
import { DecisionModule } from '../../apps/decision/src/decision.module';
import { GrpcServer } from '../../apps/decision/src/grpc/grpc.server';
import { ReadModel } from '../../apps/decision/src/read-model/read-model';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, testBrokers, testKafka, uniqueName } from '../support/test-kafka';

/** Topics, database and settings one decision test file owns; apps booted on it share them. */
export class DecisionStack {
  readonly topics = {
    USAGE_TOPIC: uniqueName('decision-test.usage'),
    CALLS_ADMITTED_TOPIC: uniqueName('decision-test.admitted'),
    ACCESS_EVENTS_TOPIC: uniqueName('decision-test.access'),
    DENIALS_TOPIC: uniqueName('decision-test.denials'),
  };
  /** The projector group whose offsets the apps read; tests write its rows to stage a projection. */
  readonly projectorGroup = uniqueName('decision-test-projector');
  private producer?: Producer;
  private readonly apps: DecisionApp[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly env: Record<string, string>,
  ) {}

  static async create(env: Record<string, string> = {}): Promise<DecisionStack> {
    const stack = new DecisionStack(await TestDatabase.create('decision'), env);
    await Promise.all(Object.values(stack.topics).map((topic) => createTopic(topic, 3)));
    return stack;
  }

  async boot(env: Record<string, string> = {}, waitFresh = true): Promise<DecisionApp> {
    const config = loadConfig(DecisionConfig, {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      KAFKA_BROKERS: testBrokers.join(','),
      DATABASE_URL: this.db.url,
      KAFKA_TOPIC_PARTITIONS: '3',
      DECISION_GRPC_PORT: '0',
      PROJECTOR_GROUP_ID: this.projectorGroup,
      ...this.topics,
      ...this.env,
      ...env,
    });
    const app = await bootstrapHttpApp(DecisionModule.create(config), { name: 'decision', port: 0 });
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const running = new DecisionApp(app, `http://127.0.0.1:${port}`, app.get(GrpcServer).port!);
    this.apps.push(running);
    if (waitFresh) {
      const fresh = await eventually(async () => !running.model.isStale(Date.now()), 20_000, 50);
      if (!fresh) throw new Error('the decision app did not catch up with Kafka');
    }
    return running;
  }

  async publish(topic: string, events: (UsageRecordedV1 | CallAdmittedV1 | AccessEventV1)[]): Promise<void> {
    if (!this.producer) {
      this.producer = testKafka('decision-test').producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    await this.producer.send({
      topic,
      acks: -1,
      messages: events.map((e) => ({
        key: (e.payload as { orgId: string }).orgId,
        value: JSON.stringify(e),
      })),
    });
  }

  /** The topic's end offsets, as the projector would commit them after applying everything. */
  async endOffsets(topic: string): Promise<{ partition: number; offset: string }[]> {
    const admin = testKafka('decision-test-admin').admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high }));
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    for (const app of this.apps) await app.close();
    await this.producer?.disconnect();
    await this.db.drop();
  }
}

export class DecisionApp {
  private closed = false;

  constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly grpcPort: number,
  ) {}

  get model(): ReadModel {
    return this.app.get(ReadModel);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.app.close();
  }

  async check(body: unknown) {
    return post(`${this.url}/v1/decisions`, body);
  }
}

/** Any of the decision API's bodies: an answer, a batch of them, or a 400's problems. */
export type ResponseBody = DecisionAnswer & {
  results: DecisionAnswer[];
  problems: { field: string; message: string; index?: number }[];
};

export async function post(url: string, body: unknown, token = 'dev-service') {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as ResponseBody;
  return { status: response.status, headers: response.headers, body: parsed };
}

export function usageEvent(
  orgId: string,
  id: string,
  over: Partial<UsageRecordedV1['payload']> & { at?: Date } = {},
): UsageRecordedV1 {
  const at = (over.at ?? new Date()).toISOString();
  const payload = { ...over };
  delete payload.at;
  return {
    type: USAGE_RECORDED,
    version: 1,
    id,
    occurredAt: at,
    recordedAt: at,
    payload: { orgId, endpoint: 'generate', inputChars: 0, outputChars: 0, ...payload },
  };
}

export function admissionEvent(
  orgId: string,
  id: string,
  hits: number,
  endpoint = 'generate',
): CallAdmittedV1 {
  const at = new Date().toISOString();
  return {
    type: CALL_ADMITTED,
    version: 1,
    id,
    occurredAt: at,
    recordedAt: at,
    payload: { orgId, endpoint, hits },
  };
}

/** An access event as the tier app publishes it; keys and models default to none. */
export function accessEvent(
  orgId: string,
  version: number,
  state: Omit<AccessState, 'apiKeys' | 'models'> & Partial<AccessState>,
  kind: 'TierChanged' | 'OrganizationSuspended' = 'TierChanged',
): AccessEventV1 {
  const access: AccessState = { apiKeys: [], models: [], ...state };
  const at = new Date().toISOString();
  const payload: AccessEventV1['payload'] =
    kind === 'TierChanged'
      ? {
          kind,
          orgId,
          aggregateVersion: version,
          actor: 'test',
          access,
          from: 'trial',
          to: access.tier,
          reason: 'test',
        }
      : { kind, orgId, aggregateVersion: version, actor: 'test', access, reason: 'test' };
  return {
    type: 'access.event',
    version: 1,
    id: `${orgId}-${version}`,
    occurredAt: at,
    recordedAt: at,
    payload,
  };
}
