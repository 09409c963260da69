import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { hidePassword } from './database-url';

export class ConfigError extends Error {}

/**
 * Reads one app's configuration from the environment into a typed class, once, at boot. Every problem is
 * reported together, each naming the variable and what it expects, so a bad deployment fails fast.
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(schema, defined, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    const lines = errors.map((error) => describe(error, defined[error.property]));
    throw new ConfigError(`invalid configuration:\n  - ${lines.join('\n  - ')}`);
  }
  return config;
}

/** Variables whose value must not reach a console or a log, even when it is wrong. */
const SECRETS = new Set(['AUTH_TOKENS']);

/**
 * Shows the value as it was set in the environment, not as conversion left it (NaN, say), and never a
 * password a URL holds (DATABASE_URL's, say), malformed or not.
 */
function describe(error: ValidationError, raw: string | undefined): string {
  const expectations = Object.values(error.constraints ?? {}).join('; ');
  const shown =
    raw === undefined
      ? '(unset)'
      : SECRETS.has(error.property)
        ? '(hidden)'
        : JSON.stringify(hidePassword(raw));
  return `${error.property}=${shown}: ${expectations}`;
}
