import { readFileSync } from 'node:fs';
import { AccessPolicy, parseAccessPolicy } from '@metergate/policy';
import { load } from 'js-yaml';
import { ConfigError } from './load-config';

/** Injection token of the validated AccessPolicy. */
export const ACCESS_POLICY = Symbol('AccessPolicy');

/** Reads and validates the policy document (JSON or YAML) at boot; any problem stops the app. */
export function loadAccessPolicyFile(path: string): AccessPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`ACCESS_POLICY_PATH=${path}: cannot read the file (${(error as Error).message})`);
  }
  try {
    return parseAccessPolicy(/\.ya?ml$/i.test(path) ? load(text) : JSON.parse(text));
  } catch (error) {
    throw new ConfigError(`ACCESS_POLICY_PATH=${path}: ${(error as Error).message}`);
  }
}
