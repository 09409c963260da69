const FNV_PRIME = 0x01000193;

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
  // FNV-1a over `endpoint␀model␀userId␀hits␀chars`, fed field by field rather than from that text built
  // first (replicas of other versions must keep computing the same value).
  let h = mixText(0x811c9dc5, endpoint);
  h = mixText(Math.imul(h, FNV_PRIME), model ?? '');
  h = mixText(Math.imul(h, FNV_PRIME), userId ?? '');
  h = mixDigits(Math.imul(h, FNV_PRIME), hits);
  h = mixDigits(Math.imul(h, FNV_PRIME), chars);
  // Never 0, so that a stored answer is told from none.
  return ((h >>> 5) | 1) & 0x7ffffff;
}

function mixText(h: number, text: string): number {
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The decimal digits of a whole number, as its text would feed them. */
function mixDigits(h: number, value: number): number {
  let unit = 1;
  while (unit * 10 <= value) unit *= 10;
  for (; unit >= 1; unit /= 10) h = Math.imul(h ^ (48 + (Math.floor(value / unit) % 10)), FNV_PRIME);
  return h;
}

export const packAnswer = (fingerprint: number, reasonCode: number): number =>
  ((fingerprint << 5) | (reasonCode & 31)) >>> 0;

export const fingerprintOf = (answer: number): number => answer >>> 5;

export const reasonCodeOf = (answer: number): number => answer & 31;
