import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Server, ServerCredentials, ServiceDefinition, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { DECISION_PROTO, ENVOY_RLS_PROTO, protoRoot } from '@metergate/contracts';
import { AuthTokens, tlsFiles, withGrpcAuth } from '@metergate/platform';
import { DecisionConfig } from '../decision.config';
import { DecideGrpcService } from '../decide/decide.grpc.service';
import { EnvoyRlsGrpcService } from '../decide/envoy-rls.grpc.service';

type Package = Record<string, unknown>;

/** Both gRPC services: fields are camelCase on our side, absent optionals stay undefined. */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: false,
  arrays: true,
} as const;

function service(root: Package, path: string): ServiceDefinition {
  const found = path.split('.').reduce<unknown>((node, key) => (node as Package | undefined)?.[key], root) as
    { service: ServiceDefinition } | undefined;
  if (!found?.service) throw new Error(`${path} is not in the loaded .proto files`);
  return found.service;
}

/** The gRPC server of the decision app (DECISION_GRPC_PORT), beside its HTTP server. */
@Injectable()
export class GrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(GrpcServer.name);
  private readonly server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  private boundPort?: number;

  constructor(
    private readonly config: DecisionConfig,
    decisions: DecideGrpcService,
    envoy: EnvoyRlsGrpcService,
    tokens: AuthTokens,
  ) {
    const definition = loadSync([DECISION_PROTO, ENVOY_RLS_PROTO], {
      ...PROTO_LOADER_OPTIONS,
      includeDirs: [protoRoot()],
    });
    const root = loadPackageDefinition(definition) as Package;
    this.server.addService(
      service(root, 'metergate.decision.v1.DecisionService'),
      withGrpcAuth(decisions.implementation(), tokens, ['service']),
    );
    this.server.addService(
      service(root, 'envoy.service.ratelimit.v3.RateLimitService'),
      withGrpcAuth(envoy.implementation(), tokens, ['service']),
    );
  }

  /** The port actually bound (DECISION_GRPC_PORT, or the one picked for 0). */
  get port(): number | undefined {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(`0.0.0.0:${this.config.DECISION_GRPC_PORT}`, this.credentials(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.logger.log(
      `gRPC${this.config.TLS_CERT_FILE ? ' (TLS)' : ''} listening on 0.0.0.0:${this.boundPort}`,
    );
  }

  /** TLS from the same files as the HTTP listener; the bearer token in the metadata stays required either way. */
  private credentials(): ServerCredentials {
    const tls = tlsFiles(this.config);
    return tls
      ? ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }], false)
      : ServerCredentials.createInsecure();
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 2_000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}
