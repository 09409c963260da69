import { hash } from 'node:crypto';

export const API_KEY_PURPOSES = ['trial', 'production'] as const;

/** A trial key is for testing and experimentation; a production key serves production traffic. */
export type ApiKeyPurpose = (typeof API_KEY_PURPOSES)[number];

/** What a key starts with: secret scanners recognize a leaked key by it, and people see its purpose. */
const MARKERS: Record<ApiKeyPurpose, string> = { trial: 'mg_trial_', production: 'mg_prod_' };

/**
 * 192 random bits per key: its prefix shows 8 of the random characters (about 48 bits) in lists and
 * logs, and what stays secret must still be well over 128 bits.
 */
export const API_KEY_RANDOM_BYTES = 24;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^33 > 2^192: every value of the random bytes has a body of its own. */
const BODY_LENGTH = 33;
const PREFIX_BODY_CHARS = 8;
const KEY_PATTERN = /^mg_(trial|prod)_[0-9A-Za-z]{33}$/;

/**
 * A new key of that purpose from freshly drawn random bytes (the caller draws them: this stays pure).
 * The body is the bytes' number in base 62, least significant digit first, so that the characters the
 * prefix shows are the evenly distributed ones.
 */
export function formatApiKey(purpose: ApiKeyPurpose, random: Uint8Array): string {
  if (random.length !== API_KEY_RANDOM_BYTES) {
    throw new RangeError(`an API key needs ${API_KEY_RANDOM_BYTES} random bytes, got ${random.length}`);
  }
  let value = 0n;
  for (const byte of random) value = (value << 8n) | BigInt(byte);
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    body += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return MARKERS[purpose] + body;
}

export interface ApiKeyParts {
  purpose: ApiKeyPurpose;
  /** The marker and the first characters of the body: names the key in lists and logs, reveals little. */
  prefix: string;
}

/** The purpose and prefix of a well-formed key; undefined for anything else (not a key of ours). */
export function parseApiKey(key: string): ApiKeyParts | undefined {
  if (!KEY_PATTERN.test(key)) return undefined;
  const purpose: ApiKeyPurpose = key.startsWith(MARKERS.trial) ? 'trial' : 'production';
  return { purpose, prefix: key.slice(0, MARKERS[purpose].length + PREFIX_BODY_CHARS) };
}

/** What is stored of a key and what a presented key is looked up by: SHA-256, lowercase hex. */
export function apiKeyDigest(key: string): string {
  return hash('sha256', key, 'hex');
}
