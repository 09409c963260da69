import { DecisionAnswer } from '@metergate/contracts';

/** Quota unit of character quotas in RateLimit-Policy: not a registered unit, so vendor-prefixed. */
export const CHARS_UNIT = 'metergate-chars';

const WINDOW_SECONDS = { minute: 60, day: 86_400 } as const;

export interface RateLimitHeaders {
  policy: string;
  state: string;
  /** Set only when the check was denied for rate; seconds. */
  retryAfter: string | undefined;
}

/**
 * The `RateLimit-Policy` and `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers-11: one named
 * policy per limit, e.g. `"generate-minute";q=60;w=60` and `"generate-minute";r=12;t=31`. A lifetime
 * quota has no window (`w`) and never resets (no `t`).
 */
export function rateLimitHeaders(answer: DecisionAnswer): RateLimitHeaders {
  let policy = '';
  let state = '';
  for (const limit of answer.limits) {
    const separator = policy === '' ? '' : ', ';
    if (limit.window === 'lifetime') {
      policy += `${separator}"${limit.name}";q=${limit.limit};qu="${CHARS_UNIT}"`;
      state += `${separator}"${limit.name}";r=${limit.remaining}`;
    } else {
      policy += `${separator}"${limit.name}";q=${limit.limit};w=${WINDOW_SECONDS[limit.window]}`;
      state += `${separator}"${limit.name}";r=${limit.remaining};t=${limit.resetSeconds ?? 0}`;
    }
  }
  const retryAfter =
    !answer.allowed && answer.retryAfterSeconds !== null ? String(answer.retryAfterSeconds) : undefined;
  return { policy, state, retryAfter };
}
