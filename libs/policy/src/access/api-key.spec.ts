import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_RANDOM_BYTES, apiKeyDigest, formatApiKey, parseApiKey } from './api-key';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The random bytes a key was made from, read back from its body (least significant digit first). */
function bytesOf(key: string): Buffer {
  const body = key.slice(key.lastIndexOf('_') + 1);
  let value = 0n;
  for (const char of [...body].reverse()) value = value * 62n + BigInt(BASE62.indexOf(char));
  return Buffer.from(value.toString(16).padStart(API_KEY_RANDOM_BYTES * 2, '0'), 'hex');
}

describe('API keys', () => {
  it('look like mg_trial_<base62> and mg_prod_<base62> with 33 characters of body', () => {
    expect(formatApiKey('trial', randomBytes(API_KEY_RANDOM_BYTES))).toMatch(/^mg_trial_[0-9A-Za-z]{33}$/);
    expect(formatApiKey('production', randomBytes(API_KEY_RANDOM_BYTES))).toMatch(
      /^mg_prod_[0-9A-Za-z]{33}$/,
    );
  });

  it('keep every random bit: the body reads back to exactly the bytes it was made from', () => {
    const samples = [
      Buffer.alloc(API_KEY_RANDOM_BYTES, 0),
      Buffer.alloc(API_KEY_RANDOM_BYTES, 0xff),
      ...Array.from({ length: 2000 }, () => randomBytes(API_KEY_RANDOM_BYTES)),
    ];
    for (const random of samples) {
      for (const purpose of ['trial', 'production'] as const) {
        const key = formatApiKey(purpose, random);
        expect(bytesOf(key).equals(random)).toBe(true);
        expect(parseApiKey(key)?.purpose).toBe(purpose);
      }
    }
  });

  it('refuses a wrong number of random bytes rather than make a weaker key', () => {
    expect(() => formatApiKey('trial', randomBytes(16))).toThrow(RangeError);
  });

  it('name a key by its marker and the first 8 characters of its body', () => {
    const key = formatApiKey('production', randomBytes(API_KEY_RANDOM_BYTES));
    expect(parseApiKey(key)).toEqual({ purpose: 'production', prefix: key.slice(0, 'mg_prod_'.length + 8) });
    expect(parseApiKey(key)!.prefix).toHaveLength(16);
  });

  it('spread the characters the prefix shows evenly over the alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 6200; i++) {
      const first = parseApiKey(formatApiKey('trial', randomBytes(API_KEY_RANDOM_BYTES)))!.prefix.at(-8)!;
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    // 100 expected per character; a leading-zero bias would put thousands on '0'.
    expect(counts.size).toBe(62);
    expect(Math.max(...counts.values())).toBeLessThan(200);
  });

  it.each([
    ['another marker', `mg_test_${'a'.repeat(33)}`],
    ['a short body', `mg_prod_${'a'.repeat(32)}`],
    ['a long body', `mg_prod_${'a'.repeat(34)}`],
    ['a character outside base 62', `mg_prod_${'a'.repeat(32)}-`],
    ['trailing whitespace', `mg_prod_${'a'.repeat(33)}\n`],
    ['an empty string', ''],
  ])('parse nothing from %s', (_name, text) => {
    expect(parseApiKey(text)).toBeUndefined();
  });

  it('are stored and looked up by their SHA-256 in lowercase hex', () => {
    const key = formatApiKey('trial', randomBytes(API_KEY_RANDOM_BYTES));
    expect(apiKeyDigest(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(apiKeyDigest(key)).toMatch(/^[0-9a-f]{64}$/);
  });
});
