import { hash } from 'node:crypto';
import { ConfigError } from '../config/load-config';

export const ROLES = ['service', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Used outside production when AUTH_TOKENS is empty, so that a fresh checkout works without setup. */
export const DEV_TOKENS = 'service:dev-service,analyst:dev-analyst,admin:dev-admin';

interface TokenEntry {
  role: Role;
  /** The token's SHA-256 digest, in lower-case hexadecimal. */
  digest: string;
}

export type AuthVerdict =
  | { kind: 'allowed'; role: Role }
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'forbidden'; message: string };

const HEX_DIGEST = /^[0-9a-f]{64}$/i;

const NO_ROLES: ReadonlySet<Role> = new Set();

/** One-shot: about a fifth of the time of a createHash object per call, on every request. */
const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/**
 * Reads AUTH_TOKENS (`role:token` or `role:sha256:<hex>`, comma-separated) into role entries, or lists
 * what is wrong. Problems never quote a token: the message ends up in logs and on the console.
 */
export function parseAuthTokens(raw: string): { entries: TokenEntry[]; problems: string[] } {
  const entries: TokenEntry[] = [];
  const problems: string[] = [];
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .forEach((item, index) => {
      const separator = item.indexOf(':');
      const role = separator > 0 ? item.slice(0, separator) : '';
      const secret = separator > 0 ? item.slice(separator + 1) : '';
      if (!(ROLES as readonly string[]).includes(role)) {
        problems.push(`entry ${index + 1} must start with one of ${ROLES.join(', ')} and a colon`);
        return;
      }
      if (secret.startsWith('sha256:')) {
        const hex = secret.slice('sha256:'.length);
        if (!HEX_DIGEST.test(hex)) {
          problems.push(`entry ${index + 1} (${role}) must give sha256: followed by 64 hexadecimal digits`);
          return;
        }
        entries.push({ role: role as Role, digest: hex.toLowerCase() });
        return;
      }
      if (secret.length < 8 || /\s/.test(secret)) {
        problems.push(
          `entry ${index + 1} (${role}) must have a token of at least 8 characters without spaces`,
        );
        return;
      }
      entries.push({ role: role as Role, digest: sha256Hex(secret) });
    });
  return { entries, problems };
}

/** The configured bearer tokens and their roles; admin may do everything. */
export class AuthTokens {
  private readonly rolesByDigest = new Map<string, Set<Role>>();
  /** The last valid Authorization value of each connection, and its roles. */
  private readonly connections = new WeakMap<object, { authorization: string; roles: ReadonlySet<Role> }>();

  private constructor(
    entries: TokenEntry[],
    /** `missing`: production without AUTH_TOKENS, which nothing may serve with (every token is refused). */
    private readonly source: 'configured' | 'development' | 'missing',
  ) {
    for (const { role, digest } of entries) {
      const roles = this.rolesByDigest.get(digest) ?? new Set<Role>();
      roles.add(role);
      this.rolesByDigest.set(digest, roles);
    }
  }

  /** Throws with every problem listed; config validation has already run the same checks. */
  static fromConfig(raw: string | undefined, nodeEnv: string): AuthTokens {
    const configured = raw?.trim() ?? '';
    if (!configured && nodeEnv === 'production') return new AuthTokens([], 'missing');
    const { entries, problems } = parseAuthTokens(configured || DEV_TOKENS);
    if (problems.length > 0) throw new ConfigError(`AUTH_TOKENS: ${problems.join('; ')}`);
    return new AuthTokens(entries, configured ? 'configured' : 'development');
  }

  /** True when the development defaults are in use, which the app warns about at start. */
  get usingDevelopmentDefaults(): boolean {
    return this.source === 'development';
  }

  /** Called before an app listens: in production, serving without configured tokens is refused. */
  assertServable(): void {
    if (this.source === 'missing') {
      throw new ConfigError(
        'AUTH_TOKENS must be set when NODE_ENV=production (role:token or role:sha256:<hex>, comma-separated)',
      );
    }
  }

  /**
   * The roles of a token, found by its SHA-256 digest: one hash and one lookup per request. Comparing
   * digests rather than tokens is what makes the lookup's timing harmless: it can only say how much of
   * the presented token's digest matches a stored one, which nobody can steer without a preimage.
   */
  rolesOf(token: string): ReadonlySet<Role> {
    return this.rolesByDigest.get(sha256Hex(token)) ?? NO_ROLES;
  }

  /**
   * The verdict for an `Authorization` value (header or gRPC metadata) against the roles allowed. With
   * the connection it came on (an HTTP socket), a value equal to the last valid one of that connection
   * is not hashed again: a gateway sends the same token on every request of a keep-alive connection.
   * Comparing with what the same client sent before tells that client nothing it did not know.
   */
  authorize(authorization: string | undefined, allowed: readonly Role[], connection?: object): AuthVerdict {
    const known = connection === undefined ? undefined : this.connections.get(connection);
    if (known !== undefined && known.authorization === authorization) return verdictOf(known.roles, allowed);
    const token = bearerToken(authorization);
    if (token === undefined) {
      return {
        kind: 'unauthenticated',
        message: 'a bearer token is required (Authorization: Bearer <token>)',
      };
    }
    const roles = this.rolesOf(token);
    if (roles.size === 0) return { kind: 'unauthenticated', message: 'the bearer token is not valid' };
    if (connection !== undefined) this.connections.set(connection, { authorization: authorization!, roles });
    return verdictOf(roles, allowed);
  }
}

/** One verdict object per role: a request that is let through allocates none. */
const ALLOWED = Object.fromEntries(ROLES.map((role) => [role, Object.freeze({ kind: 'allowed', role })])) as {
  [R in Role]: AuthVerdict;
};

function verdictOf(roles: ReadonlySet<Role>, allowed: readonly Role[]): AuthVerdict {
  if (roles.has('admin')) return ALLOWED.admin;
  const role = allowed.find((r) => roles.has(r));
  if (role) return ALLOWED[role];
  return {
    kind: 'forbidden',
    message: `this requires the role ${[...new Set<Role>([...allowed, 'admin'])].join(' or ')}`,
  };
}

/** The token of `Bearer <token>` (scheme case-insensitive), or undefined when there is none. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
