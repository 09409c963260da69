import { CallFields, DecisionLimits, TextField, textFault } from '@metergate/contracts';
import { FieldProblem } from '@metergate/platform';
import { CompiledPolicy } from '@metergate/policy';
import { ValidCheck } from './decide.service';

const FIELDS = new Set(['orgId', 'apiKey', 'endpoint', 'model', 'userId', 'requestId', 'hits', 'chars']);

/** Longer than any key Metergate issues (`mg_prod_` and 33 base62 characters); anything shorter is looked up. */
const MAX_API_KEY_LENGTH = 128;

/**
 * Validates one check by hand rather than through class-validator: it runs on every decision and
 * costs a fraction of the reflection-based pipe. Problems name the field by its path (`checks[3].hits`).
 */
export function parseCheck(
  body: unknown,
  policy: CompiledPolicy,
  path: string,
  problems: FieldProblem[],
): ValidCheck | undefined {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.push({ field: path || 'body', message: `${path || 'body'} must be an object` });
    return undefined;
  }
  const input = body as Record<string, unknown>;
  const before = problems.length;
  for (const key in input) {
    if (!FIELDS.has(key)) problems.push({ field: at(key), message: `property ${at(key)} should not exist` });
  }
  // The same rules as usage events: admissions carry these fields to every consumer and to PostgreSQL.
  // The organization, or an API key that names it: exactly one of the two.
  const byKey = input.apiKey !== undefined;
  if (byKey && input.orgId !== undefined)
    problems.push({
      field: at('apiKey'),
      message: `${at('apiKey')} and ${at('orgId')} cannot both be given`,
    });
  const orgId = byKey ? undefined : textField(input.orgId, at('orgId'), CallFields.orgId, false, problems);
  const apiKey = input.apiKey;
  if (byKey && (typeof apiKey !== 'string' || apiKey.length === 0 || apiKey.length > MAX_API_KEY_LENGTH))
    problems.push({
      field: at('apiKey'),
      message: `${at('apiKey')} must be a string of 1 to ${MAX_API_KEY_LENGTH} characters`,
    });
  const userId = textField(input.userId, at('userId'), CallFields.userId, true, problems);
  const requestId = textField(input.requestId, at('requestId'), CallFields.callId, true, problems);
  const model = textField(input.model, at('model'), CallFields.model, true, problems);
  const endpointName = textField(input.endpoint, at('endpoint'), CallFields.endpoint, false, problems);
  const endpoint = endpointName === undefined ? -1 : policy.indexOf(endpointName);
  if (endpointName !== undefined && endpoint < 0) {
    problems.push({
      field: at('endpoint'),
      message: `${at('endpoint')} must be one of ${policy.endpoints.join(', ')}`,
    });
  }
  let hits = 1;
  if (input.hits !== undefined) {
    const value = input.hits;
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value > DecisionLimits.maxHits
    ) {
      problems.push({
        field: at('hits'),
        message: `${at('hits')} must be an integer from 0 to ${DecisionLimits.maxHits}`,
      });
    } else hits = value;
  }
  let chars = 0;
  if (input.chars !== undefined) {
    const value = input.chars;
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value > DecisionLimits.maxChars
    ) {
      problems.push({
        field: at('chars'),
        message: `${at('chars')} must be an integer from 0 to ${DecisionLimits.maxChars}`,
      });
    } else chars = value;
    // A reservation is settled by the usage event with the same id: without one it could not be.
    if (input.requestId === undefined)
      problems.push({ field: at('requestId'), message: `${at('requestId')} is required with chars` });
  }
  if (problems.length > before) return undefined;
  return {
    orgId,
    apiKey: byKey ? (apiKey as string) : undefined,
    endpointName: endpointName!,
    endpoint,
    model,
    userId,
    requestId,
    hits,
    chars,
  };
}

function textField(
  value: unknown,
  field: string,
  rule: TextField,
  optional: boolean,
  problems: FieldProblem[],
): string | undefined {
  if (value === undefined || (optional && value === null)) {
    if (!optional) problems.push({ field, message: `${field} is required` });
    return undefined;
  }
  const fault = textFault(value, rule);
  if (fault === undefined) return value as string;
  problems.push({ field, message: `${field} ${fault}` });
  return undefined;
}
