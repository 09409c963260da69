import {
  Client,
  Metadata,
  credentials,
  loadPackageDefinition,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { BENCH_AUTHORIZATION, repoRoot } from './processes';

const protoDir = join(repoRoot, 'libs/contracts/src/proto');

/** Loaded as the decision app loads it: camelCase fields, absent optionals left out. */
export const decisionPackage = loadSync('metergate/decision/v1/decision.proto', {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: false,
  arrays: true,
  includeDirs: [protoDir],
});

export const DecisionServiceClient = (
  loadPackageDefinition(decisionPackage) as unknown as {
    metergate: { decision: { v1: { DecisionService: ServiceClientConstructor } } };
  }
).metergate.decision.v1.DecisionService;

type UnaryMethod = (request: unknown, metadata: Metadata, callback: (error: Error | null) => void) => void;

export interface GrpcLoad {
  address: string;
  method: 'Check' | 'CheckBatch';
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
  const clients: Client[] = Array.from(
    { length: load.channels },
    // A distinct channel option keeps grpc-js from sharing one subchannel between the clients.
    (_, i) => new DecisionServiceClient(load.address, credentials.createInsecure(), { 'bench.channel': i }),
  );
  const metadata = new Metadata();
  metadata.set('authorization', BENCH_AUTHORIZATION);
  let next = 0;
  let completed = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + load.durationSeconds * 1000;
  const slot = (client: Client) =>
    new Promise<void>((resolve) => {
      const method = (client as unknown as Record<string, UnaryMethod>)[load.method].bind(client);
      const fire = () => {
        if (performance.now() >= deadline) return resolve();
        const request = load.requests[next];
        next = (next + 1) % load.requests.length;
        method(request, metadata, (error) => {
          if (error) failures += 1;
          else completed += 1;
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
