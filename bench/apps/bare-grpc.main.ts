import { Server, ServerCredentials, loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { createServer } from 'node:http';
import { decisionPackage } from '../support/grpc-load';

interface CheckRequest {
  orgId?: string;
  requestId?: string;
}

// The same service definition as the decision app's, answered without any work: a unary echo of the
// request's ids in a response of the shape the decision app returns.
const service = (
  loadPackageDefinition(decisionPackage) as unknown as {
    metergate: { decision: { v1: { DecisionService: { service: ServiceDefinition } } } };
  }
).metergate.decision.v1.DecisionService.service;

const echo = (request: CheckRequest) => ({
  allowed: true,
  tier: 'trial',
  limits: [],
  requestId: request.requestId ?? request.orgId ?? '',
  asOf: '2026-01-01T00:00:00.000Z',
});

const server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
server.addService(service, {
  Check: (call: { request: CheckRequest }, callback: (error: null, answer: unknown) => void) =>
    callback(null, echo(call.request)),
  CheckBatch: (
    call: { request: { checks?: CheckRequest[] } },
    callback: (error: null, answer: unknown) => void,
  ) => callback(null, { results: (call.request.checks ?? []).map(echo) }),
});
server.bindAsync(`127.0.0.1:${process.env.BENCH_PORT}`, ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
  // A tiny HTTP probe, so the bench waits for this server the way it waits for the apps.
  createServer((_req, res) => res.end('ok')).listen(Number(process.env.BENCH_READY_PORT), '127.0.0.1');
});
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
