import {
  AccessPolicy,
  DEFAULT_RESERVATION_TTL_SECONDS,
  InvalidPolicyError,
  LimitDefinition,
  TierPolicy,
} from './access-policy';
import { parseWindow } from './limits/window';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown): v is string => typeof v === 'string' && /^[a-z0-9_-]{1,64}$/.test(v);
const isCap = (v: unknown): v is number | null =>
  v === null || (Number.isSafeInteger(v) && (v as number) >= 0);
const isLimit = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

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
  const ttl = document.reservationTtlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS;
  if (!Number.isSafeInteger(ttl) || (ttl as number) < 1 || (ttl as number) > 86_400)
    problems.push('reservationTtlSeconds must be an integer from 1 to 86400');
  if (problems.length > 0) throw new InvalidPolicyError(problems);
  return {
    version: 1,
    defaultTier: defaultTier as string,
    endpoints,
    models,
    reservationTtlSeconds: ttl as number,
    tiers,
  };
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
  const limits = Array.isArray(raw.limits)
    ? raw.limits.flatMap(
        (limit: unknown, i) => parseLimit(limit, `${path}.limits[${i}]`, endpoints, models, problems) ?? [],
      )
    : legacyLimits(raw, path, endpoints, problems);
  const names = limits.map((l) => l.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) problems.push(`${path}.limits: names must be unique (${repeated.join(', ')})`);

  const tierModels = raw.models;
  if (!Array.isArray(tierModels) || !tierModels.every((m) => typeof m === 'string' && models.includes(m))) {
    problems.push(`${path}.models must list models from the policy's models`);
  }
  let entitled = endpoints;
  if (raw.endpoints !== undefined) {
    if (
      !Array.isArray(raw.endpoints) ||
      !raw.endpoints.every((e) => typeof e === 'string' && endpoints.includes(e))
    ) {
      problems.push(`${path}.endpoints must list endpoints from the policy's endpoints`);
    } else entitled = raw.endpoints as string[];
  }
  const tier: TierPolicy = {
    name,
    endpoints: entitled,
    models: (Array.isArray(tierModels) ? tierModels : []) as string[],
    limits,
  };
  if (typeof raw.description === 'string') tier.description = raw.description;
  return tier;
}

function parseLimit(
  raw: unknown,
  path: string,
  endpoints: string[],
  models: string[],
  problems: string[],
): LimitDefinition | undefined {
  const before = problems.length;
  if (!isObject(raw)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  if (!isName(raw.name)) problems.push(`${path}.name must match [a-z0-9_-]{1,64}`);
  const listed = (value: unknown, known: string[]) =>
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && known.includes(v));
  if (!listed(raw.endpoints, endpoints)) problems.push(`${path}.endpoints must list known endpoints`);
  if (raw.models !== undefined && !listed(raw.models, models))
    problems.push(`${path}.models must list known models`);
  if (raw.unit !== 'calls' && raw.unit !== 'chars') problems.push(`${path}.unit must be calls or chars`);
  if (!parseWindow(raw.window))
    problems.push(`${path}.window must be an ISO 8601 duration from PT1S to P31D, P1M or lifetime`);
  if (!isLimit(raw.limit)) problems.push(`${path}.limit must be a non-negative integer`);
  if (problems.length > before) return undefined;
  const limit: LimitDefinition = {
    name: raw.name as string,
    endpoints: raw.endpoints as string[],
    unit: raw.unit as LimitDefinition['unit'],
    window: raw.window as string,
    limit: raw.limit as number,
  };
  if (raw.models !== undefined) limit.models = raw.models as string[];
  return limit;
}

/**
 * The original form: `limits` keyed by endpoint or '*' with calls `perMinute` and `perDay` (null: no
 * cap), and lifetime character `quotas`. Each endpoint's calls are counted apart, as they always were.
 */
function legacyLimits(raw: Json, path: string, endpoints: string[], problems: string[]): LimitDefinition[] {
  const byEndpoint: Record<string, { perMinute: number | null; perDay: number | null }> = {};
  if (!isObject(raw.limits))
    problems.push(`${path}.limits must be a list, or an object keyed by endpoint or '*'`);
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
      byEndpoint[endpoint] = { perMinute: value.perMinute, perDay: value.perDay };
    }
  }
  const limits: LimitDefinition[] = [];
  for (const endpoint of endpoints) {
    const caps = byEndpoint[endpoint] ?? byEndpoint['*'];
    if (caps?.perMinute != null)
      limits.push({
        name: `${endpoint}-minute`,
        endpoints: [endpoint],
        unit: 'calls',
        window: 'PT1M',
        limit: caps.perMinute,
      });
    if (caps?.perDay != null)
      limits.push({
        name: `${endpoint}-day`,
        endpoints: [endpoint],
        unit: 'calls',
        window: 'P1D',
        limit: caps.perDay,
      });
  }
  if (raw.quotas === undefined) return limits;
  if (!Array.isArray(raw.quotas)) {
    problems.push(`${path}.quotas must be a list`);
    return limits;
  }
  raw.quotas.forEach((q: unknown, i) => {
    const qp = `${path}.quotas[${i}]`;
    if (
      !isObject(q) ||
      !isName(q.name) ||
      !Array.isArray(q.endpoints) ||
      q.endpoints.length === 0 ||
      !q.endpoints.every((e) => typeof e === 'string' && endpoints.includes(e)) ||
      !isLimit(q.limit) ||
      q.unit !== 'chars' ||
      q.window !== 'lifetime'
    ) {
      problems.push(
        `${qp} must have a name, known endpoints, a non-negative integer limit, unit "chars", window "lifetime"`,
      );
      return;
    }
    limits.push({
      name: q.name,
      endpoints: q.endpoints as string[],
      unit: 'chars',
      window: 'lifetime',
      limit: q.limit,
    });
  });
  return limits;
}
