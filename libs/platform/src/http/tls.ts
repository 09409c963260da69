import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/load-config';
import { PlatformConfig } from '../config/platform.config';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * The certificate and key named by TLS_CERT_FILE and TLS_KEY_FILE, read once at boot; undefined when
 * neither is set (plain HTTP and gRPC, e.g. behind a TLS-terminating proxy or in a private network).
 */
export function tlsFiles(
  config: Pick<PlatformConfig, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>,
): TlsFiles | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together (PEM files) or not at all');
  }
  const read = (variable: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ConfigError(`${variable}=${path}: cannot read the file (${(error as Error).message})`);
    }
  };
  return { cert: read('TLS_CERT_FILE', certFile), key: read('TLS_KEY_FILE', keyFile) };
}
