import {
  AccessPolicy,
  CharacterQuota,
  EndpointLimits,
  InvalidPolicyError,
  TierPolicy,
} from './access-policy';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown): v is string => typeof v === 'string' && /^[a-z0-9_-]{1,64}$/.test(v);
const isCap = (v: unknown): v is number | null =>
  v === null || (Number.isSafeInteger(v) && (v as number) >= 0);

/** Validates a policy document (already parsed from JSON or YAML) and reports every problem at once. */
export function parseAccessPolicy(document: unknown): AccessPolicy {
  const problems: string[] = [];
  if (!isObject(document)) throw new InvalidPolicyError(['the document must be an object']);
  if (document.version !== 1) problems.push('version must be 1');

  const endpoints = nameList(document.endpoints, 'endpoints', problems);
  const models = nameList(document.models, 'models', problems);
  const tiers: Record<string, TierPolicy> = {};
  if (!isObject(document.tiers) || Object.keys(document.tiers).length === 0) {
    problems.push('tiers must name at least one tier');
  } else {
    for (const [name, raw] of Object.entries(document.tiers)) {
      const tier = parseTier(name, raw, endpoints, models, problems);
      if (tier) tiers[name] = tier;
    }
  }
  const defaultTier = document.defaultTier;
  if (typeof defaultTier !== 'string' || !(defaultTier in tiers)) {
    problems.push(`defaultTier must be one of the tiers (${Object.keys(tiers).join(', ')})`);
  }
  if (problems.length > 0) throw new InvalidPolicyError(problems);
  return { version: 1, defaultTier: defaultTier as string, endpoints, models, tiers };
}

function nameList(value: unknown, path: string, problems: string[]): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isName)) {
    problems.push(`${path} must be a non-empty list of names ([a-z0-9_-], up to 64 characters)`);
    return [];
  }
  if (new Set(value).size !== value.length) problems.push(`${path} has duplicates`);
  return value;
}

function parseTier(
  name: string,
  raw: unknown,
  endpoints: string[],
  models: string[],
  problems: string[],
): TierPolicy | undefined {
  const path = `tiers.${name}`;
  if (!isName(name)) problems.push(`${path}: a tier name must match [a-z0-9_-]{1,64}`);
  if (!isObject(raw)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  const limits: Record<string, EndpointLimits> = {};
  if (!isObject(raw.limits)) problems.push(`${path}.limits must be an object keyed by endpoint or '*'`);
  else {
    for (const [endpoint, value] of Object.entries(raw.limits)) {
      if (endpoint !== '*' && !endpoints.includes(endpoint))
        problems.push(`${path}.limits.${endpoint}: unknown endpoint`);
      if (!isObject(value) || !isCap(value.perMinute) || !isCap(value.perDay)) {
        problems.push(
          `${path}.limits.${endpoint} must have perMinute and perDay, each a non-negative integer or null`,
        );
        continue;
      }
      limits[endpoint] = { perMinute: value.perMinute, perDay: value.perDay };
    }
  }
  const quotas: CharacterQuota[] = [];
  if (!Array.isArray(raw.quotas)) problems.push(`${path}.quotas must be a list`);
  else {
    raw.quotas.forEach((q: unknown, i) => {
      const qp = `${path}.quotas[${i}]`;
      if (
        !isObject(q) ||
        !isName(q.name) ||
        !Array.isArray(q.endpoints) ||
        q.endpoints.length === 0 ||
        !q.endpoints.every((e) => typeof e === 'string' && endpoints.includes(e)) ||
        !Number.isSafeInteger(q.limit) ||
        (q.limit as number) < 0 ||
        q.unit !== 'chars' ||
        q.window !== 'lifetime'
      ) {
        problems.push(
          `${qp} must have a name, known endpoints, a non-negative integer limit, unit "chars", window "lifetime"`,
        );
        return;
      }
      quotas.push({
        name: q.name,
        endpoints: q.endpoints as string[],
        limit: q.limit as number,
        unit: 'chars',
        window: 'lifetime',
      });
    });
  }
  const tierModels = Array.isArray(raw.models) ? raw.models : undefined;
  if (!tierModels || !tierModels.every((m) => typeof m === 'string' && models.includes(m))) {
    problems.push(`${path}.models must list models from the policy's models`);
  }
  const tier: TierPolicy = { name, limits, quotas, models: (tierModels ?? []) as string[] };
  if (typeof raw.description === 'string') tier.description = raw.description;
  return tier;
}
