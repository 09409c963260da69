import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '@metergate/platform';
import { OrgParams } from '../http/http-input';

/** Input the CLI refuses before running anything; the message names the argument. */
export class CliUsageError extends Error {}

export function requireArgs(args: string[], names: string[]): string[] {
  if (args.length !== names.length) {
    throw new CliUsageError(
      `expected ${names.map((n) => `<${n}>`).join(' ')}, got ${args.length} argument(s)`,
    );
  }
  return args;
}

/** The same validation as the HTTP request bodies, so both transports accept exactly the same input. */
export function valid<T extends object>(schema: new () => T, input: Record<string, unknown>): T {
  const instance = plainToInstance(schema, input);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new CliUsageError(
      flattenValidationErrors(errors)
        .map((p) => p.message)
        .join('; '),
    );
  }
  return instance;
}

export function validOrg(orgId: string): string {
  return valid(OrgParams, { orgId }).orgId;
}
