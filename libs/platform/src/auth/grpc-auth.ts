import { Metadata, ServerUnaryCall, sendUnaryData, status } from '@grpc/grpc-js';
import { AuthTokens, Role } from './auth-tokens';

type UnaryHandler = (call: ServerUnaryCall<never, unknown>, callback: sendUnaryData<unknown>) => unknown;

function authorization(metadata: Metadata): string | undefined {
  const [value] = metadata.get('authorization');
  return typeof value === 'string' ? value : undefined;
}

/**
 * Wraps every unary method of a gRPC service implementation with the HTTP guard's rule: the token in
 * the `authorization` metadata (`Bearer <token>`), UNAUTHENTICATED or PERMISSION_DENIED otherwise.
 */
export function withGrpcAuth<T extends object>(
  implementation: T,
  tokens: AuthTokens,
  allowed: readonly Role[],
): T {
  const guarded = Object.entries(implementation).map(([method, handler]) => {
    const wrapped: UnaryHandler = (call, callback) => {
      const verdict = tokens.authorize(authorization(call.metadata), allowed);
      switch (verdict.kind) {
        case 'allowed':
          return (handler as UnaryHandler)(call, callback);
        case 'unauthenticated':
          return callback({ code: status.UNAUTHENTICATED, details: verdict.message });
        case 'forbidden':
          return callback({ code: status.PERMISSION_DENIED, details: verdict.message });
      }
    };
    return [method, wrapped];
  });
  return Object.fromEntries(guarded) as T;
}
