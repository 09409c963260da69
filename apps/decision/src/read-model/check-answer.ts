/**
 * What the id memory keeps of an answered check, in 32 bits: a fingerprint of what was asked (27 bits)
 * and the outcome (5 bits: 0 allowed, else the deny reason's code). A retry with the same request id
 * and the same check gets the same answer; one with another check is a conflict.
 */
export function checkFingerprint(
  endpoint: string,
  model: string | undefined,
  userId: string | undefined,
  hits: number,
  chars: number,
): number {
  let h = 0x811c9dc5;
  const text = `${endpoint}\u0000${model ?? ''}\u0000${userId ?? ''}\u0000${hits}\u0000${chars}`;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  // Never 0, so that a stored answer is told from none.
  return ((h >>> 5) | 1) & 0x7ffffff;
}

export const packAnswer = (fingerprint: number, reasonCode: number): number =>
  ((fingerprint << 5) | (reasonCode & 31)) >>> 0;

export const fingerprintOf = (answer: number): number => answer >>> 5;

export const reasonCodeOf = (answer: number): number => answer & 31;
