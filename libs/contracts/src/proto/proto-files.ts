import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DECISION_PROTO = 'metergate/decision/v1/decision.proto';
export const ENVOY_RLS_PROTO = 'envoy/service/ratelimit/v3/rls.proto';

/**
 * The directory holding the .proto files (the include root for their imports). Beside this module in
 * the sources and in a build that copied them as assets (nest-cli.json, decision project); otherwise
 * from the repository root, so a build without the assets still finds them when run from there.
 */
export function protoRoot(): string {
  const candidates = [__dirname, resolve(process.cwd(), 'libs/contracts/src/proto')];
  const found = candidates.find((dir) => existsSync(join(dir, DECISION_PROTO)));
  if (!found) throw new Error(`cannot find ${DECISION_PROTO} in ${candidates.join(' or ')}`);
  return found;
}
