import {
  Client,
  Metadata,
  credentials,
  loadPackageDefinition,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { DECISION_PROTO, ENVOY_RLS_PROTO } from '@metergate/contracts';
import { BENCH_AUTHORIZATION, repoRoot } from './processes';

/** Both services, loaded as the decision app loads them: camelCase fields, absent optionals left out. */
export const protoPackage = loadSync([DECISION_PROTO, ENVOY_RLS_PROTO], {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: false,
  arrays: true,
  includeDirs: [join(repoRoot, 'libs/contracts/src/proto')],
});

const root = loadPackageDefinition(protoPackage) as unknown as {
  metergate: { decision: { v1: { DecisionService: ServiceClientConstructor } } };
  envoy: { service: { ratelimit: { v3: { RateLimitService: ServiceClientConstructor } } } };
};

export const DecisionServiceClient = root.metergate.decision.v1.DecisionService;
export const RateLimitServiceClient = root.envoy.service.ratelimit.v3.RateLimitService;

export type GrpcMethod = 'Check' | 'CheckBatch' | 'ShouldRateLimit';

/** The Envoy request for one descriptor naming the org and the endpoint, as a route's actions build it. */
export const rateLimitRequest = (orgId: string, endpoint: string) => ({
  domain: 'metergate',
  descriptors: [
    {
      entries: [
        { key: 'org_id', value: orgId },
        { key: 'endpoint', value: endpoint },
      ],
    },
  ],
  hitsAddend: 1,
});

type Unary = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null) => void,
) => void;

const CALL_TIMEOUT_MS = 10_000;

/**
 * `count` clients of the method's service, each on its own HTTP/2 connection, and a function that makes
 * one call with the bench's token on a given client.
 */
export function grpcClients(
  address: string,
  method: GrpcMethod,
  count: number,
): { clients: Client[]; call: (client: Client, request: unknown, done: (ok: boolean) => void) => void } {
  const Service = method === 'ShouldRateLimit' ? RateLimitServiceClient : DecisionServiceClient;
  const clients = Array.from(
    { length: count },
    // A distinct channel option keeps grpc-js from sharing one subchannel between the clients.
    (_, i) => new Service(address, credentials.createInsecure(), { 'bench.channel': i }),
  );
  const metadata = new Metadata();
  metadata.set('authorization', BENCH_AUTHORIZATION);
  const call = (client: Client, request: unknown, done: (ok: boolean) => void) =>
    (client as unknown as Record<GrpcMethod, Unary>)[method].call(
      client,
      request,
      metadata,
      { deadline: Date.now() + CALL_TIMEOUT_MS },
      (error) => done(error === null),
    );
  return { clients, call };
}

export interface GrpcLoad {
  address: string;
  method: GrpcMethod;
  requests: unknown[];
  /** Separate HTTP/2 connections (grpc-js clients with their own channel). */
  channels: number;
  /** Calls kept in flight on each channel. */
  inFlightPerChannel: number;
  durationSeconds: number;
}

/**
 * A closed-loop unary load: each in-flight slot issues its next call as soon as the previous one
 * answers. Returns completed calls per second and the number of failed calls.
 */
export async function grpcLoad(load: GrpcLoad): Promise<{ callsPerSecond: number; failures: number }> {
  const { clients, call } = grpcClients(load.address, load.method, load.channels);
  let next = 0;
  let completed = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + load.durationSeconds * 1000;
  const slot = (client: Client) =>
    new Promise<void>((resolve) => {
      const fire = () => {
        if (performance.now() >= deadline) return resolve();
        const request = load.requests[next];
        next = (next + 1) % load.requests.length;
        call(client, request, (ok) => {
          if (ok) completed += 1;
          else failures += 1;
          fire();
        });
      };
      fire();
    });
  await Promise.all(
    clients.flatMap((client) => Array.from({ length: load.inFlightPerChannel }, () => slot(client))),
  );
  const seconds = (performance.now() - started) / 1000;
  clients.forEach((client) => client.close());
  return { callsPerSecond: completed / seconds, failures };
}
