import { randomInt } from 'node:crypto';

/**
 * A 64-bit hash of (organization, id) as two 32-bit halves, for the id memory: keys of 8 bytes instead
 * of strings. Two independent 32-bit hashes (FNV-1a and a multiplicative one) over the UTF-16 units; a
 * collision would make a new call look like one seen before, with a chance of about n²/2⁶⁵ for n ids.
 * Both are seeded per process (as V8 seeds its own), and the hashes never leave it: request ids are
 * the caller's, and ids picked offline could otherwise crowd one run of the id memory's table.
 */
export interface IdHash {
  hi: number;
  lo: number;
}

const SEED_A = randomInt(2 ** 32 - 1);
const SEED_B = randomInt(2 ** 32 - 1);

export function hashId(orgId: string, id: string, into: IdHash): IdHash {
  let a = 0x811c9dc5 ^ SEED_A;
  let b = 0x9e3779b9 ^ SEED_B;
  const mix = (code: number) => {
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x85ebca6b);
    b ^= b >>> 13;
  };
  for (let i = 0; i < orgId.length; i += 1) mix(orgId.charCodeAt(i));
  mix(0xffff);
  for (let i = 0; i < id.length; i += 1) mix(id.charCodeAt(i));
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  into.hi = a >>> 0;
  into.lo = b >>> 0;
  return into;
}
