import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  loadPackageDefinition,
  status,
} from '@grpc/grpc-js';
import { createServer } from 'node:http';
import { protoPackage } from '../support/grpc-load';
import { CHECK_RESPONSE, RATE_LIMIT_RESPONSE } from './answers';
import { authorized } from './bearer';

const root = loadPackageDefinition(protoPackage) as unknown as {
  metergate: { decision: { v1: { DecisionService: { service: ServiceDefinition } } } };
  envoy: { service: { ratelimit: { v3: { RateLimitService: { service: ServiceDefinition } } } } };
};

interface Call<T> {
  request: T;
  metadata: { get(key: string): unknown[] };
}
type Callback = (error: { code: number; details: string } | null, answer?: unknown) => void;

const UNAUTHENTICATED = { code: status.UNAUTHENTICATED, details: 'the bearer token is not valid' };

/** The token check of the bare HTTP route, on the `authorization` metadata. */
function answer(call: Call<unknown>, callback: Callback, response: unknown): void {
  const [authorization] = call.metadata.get('authorization');
  if (!authorized(typeof authorization === 'string' ? authorization : undefined)) callback(UNAUTHENTICATED);
  else callback(null, response);
}

/**
 * A bare grpc-js server with the decision app's two services from the same .proto files: it checks the
 * token and answers OK (allowed) with a constant response of the decision app's shape, no decision.
 */
const server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
server.addService(root.metergate.decision.v1.DecisionService.service, {
  Check: (call: Call<unknown>, callback: Callback) => answer(call, callback, CHECK_RESPONSE),
  CheckBatch: (call: Call<{ checks?: unknown[] }>, callback: Callback) =>
    answer(call, callback, { results: (call.request.checks ?? []).map(() => CHECK_RESPONSE) }),
});
server.addService(root.envoy.service.ratelimit.v3.RateLimitService.service, {
  ShouldRateLimit: (call: Call<unknown>, callback: Callback) => answer(call, callback, RATE_LIMIT_RESPONSE),
});
server.bindAsync(`127.0.0.1:${process.env.BENCH_PORT}`, ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
  // A tiny HTTP probe, so the bench waits for this server the way it waits for the apps.
  createServer((_req, res) => res.end('ok')).listen(Number(process.env.BENCH_READY_PORT), '127.0.0.1');
});
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
