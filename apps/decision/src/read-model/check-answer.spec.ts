import fc from 'fast-check';
import { checkFingerprint, fingerprintOf, packAnswer, reasonCodeOf } from './check-answer';

/** The fingerprint as replicas of earlier versions compute it: FNV-1a over the check's fields as text. */
const fingerprintOfText: typeof checkFingerprint = (endpoint, model, userId, hits, chars) => {
  let h = 0x811c9dc5;
  const text = `${endpoint}\u0000${model ?? ''}\u0000${userId ?? ''}\u0000${hits}\u0000${chars}`;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return ((h >>> 5) | 1) & 0x7ffffff;
};

describe('checkFingerprint', () => {
  it('is the value every earlier version computed for the same check', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        fc.integer({ min: 0, max: 1000 }),
        fc.oneof(fc.constantFrom(0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000), fc.nat(1_000_000_000)),
        (endpoint, model, userId, hits, chars) => {
          expect(checkFingerprint(endpoint, model, userId, hits, chars)).toBe(
            fingerprintOfText(endpoint, model, userId, hits, chars),
          );
        },
      ),
    );
  });

  it('tells checks apart by every field, and is never 0', () => {
    const base = checkFingerprint('generate', undefined, undefined, 1, 1000);
    expect(base).not.toBe(0);
    expect(checkFingerprint('embed', undefined, undefined, 1, 1000)).not.toBe(base);
    expect(checkFingerprint('generate', 'command', undefined, 1, 1000)).not.toBe(base);
    expect(checkFingerprint('generate', undefined, 'u1', 1, 1000)).not.toBe(base);
    expect(checkFingerprint('generate', undefined, undefined, 2, 1000)).not.toBe(base);
    expect(checkFingerprint('generate', undefined, undefined, 1, 100)).not.toBe(base);
  });

  it('packs with an outcome into one word and unpacks again', () => {
    const fingerprint = checkFingerprint('generate', undefined, undefined, 1, 1000);
    const answer = packAnswer(fingerprint, 7);
    expect(fingerprintOf(answer)).toBe(fingerprint);
    expect(reasonCodeOf(answer)).toBe(7);
  });
});
