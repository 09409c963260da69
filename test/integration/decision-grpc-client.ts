import {
  ChannelCredentials,
  Client,
  Metadata,
  ServiceError,
  credentials,
  loadPackageDefinition,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { DECISION_PROTO, ENVOY_RLS_PROTO, protoRoot } from '@metergate/contracts';

/** gRPC clients of the decision app as a gateway builds them from the .proto files, for tests. */
export type Unary = (
  request: unknown,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;

interface Header {
  key: string;
  value: string;
}

export interface RlsResponse {
  overall_code: string;
  statuses: {
    code: string;
    current_limit: { name: string; requests_per_unit: number; unit: string } | null;
    limit_remaining: number;
    duration_until_reset: { seconds: number };
  }[];
  response_headers_to_add: Header[];
  request_headers_to_add: Header[];
}

export interface GrpcAnswer {
  allowed: boolean;
  reason?: string;
  tier: string;
  limits: { name: string; remaining: number }[];
  request_id: string;
  as_of: string;
}
type ClientOf = new (address: string, credentials: ChannelCredentials) => Client & Record<string, Unary>;

/** Clients as a gateway would build them from the .proto files (Envoy's package, names and numbers). */
export function clients(port: number) {
  const definition = loadSync([DECISION_PROTO, ENVOY_RLS_PROTO], {
    includeDirs: [protoRoot()],
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  const root = loadPackageDefinition(definition) as unknown as {
    envoy: { service: { ratelimit: { v3: { RateLimitService: ClientOf } } } };
    metergate: { decision: { v1: { DecisionService: ClientOf } } };
  };
  const address = `127.0.0.1:${port}`;
  const Rls = root.envoy.service.ratelimit.v3.RateLimitService;
  const Decisions = root.metergate.decision.v1.DecisionService;
  return {
    rls: new Rls(address, credentials.createInsecure()),
    decisions: new Decisions(address, credentials.createInsecure()),
  };
}

/** The gateway's bearer token rides in the `authorization` metadata of every call. */
const bearer = (token: string | null) => {
  const metadata = new Metadata();
  if (token !== null) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
};

export const call = <T>(
  client: Record<string, Unary>,
  method: string,
  request: unknown,
  token: string | null = 'dev-service',
) =>
  new Promise<T>((resolve, reject) =>
    client[method](request, bearer(token), (error, response) =>
      error ? reject(error) : resolve(response as T),
    ),
  );
export const shouldRateLimit = (client: Record<string, Unary>, request: unknown) =>
  call<RlsResponse>(client, 'ShouldRateLimit', request);
export const check = (client: Record<string, Unary>, request: unknown) =>
  call<GrpcAnswer>(client, 'Check', request);

export const descriptor = (entries: Record<string, string>, hits?: number) => ({
  entries: Object.entries(entries).map(([key, value]) => ({ key, value })),
  ...(hits === undefined ? {} : { hits_addend: { value: hits } }),
});
