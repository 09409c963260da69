import { hash, timingSafeEqual } from 'node:crypto';
import { BENCH_SERVICE_TOKEN } from '../support/processes';

const digest = (text: string) => hash('sha256', text, 'buffer');
const expected = digest(BENCH_SERVICE_TOKEN);

/**
 * The token check a careful bare server does, and what the decision app pays per call too: the
 * presented token's SHA-256 digest (Node's one-shot hash, as the app computes it) compared in constant
 * time with the configured one.
 */
export function authorized(authorization: string | undefined): boolean {
  if (authorization === undefined || !authorization.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(authorization.slice('Bearer '.length)), expected);
}
