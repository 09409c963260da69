import { DecisionAnswer } from '@metergate/contracts';

/** Quota unit of character quotas in RateLimit-Policy: not a registered unit, so vendor-prefixed. */
export const CHARS_UNIT = 'metergate-chars';

export interface RateLimitHeaders {
  policy: string;
  state: string;
  /** Set only when the check was denied for rate; seconds. */
  retryAfter: string | undefined;
}

/**
 * The `RateLimit-Policy` and `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers-11: one named
 * policy per limit, e.g. `"generate-minute";q=60;w=60` and `"generate-minute";r=12;t=31`. A lifetime
 * quota has no window (`w`) and never resets (no `t`); a limit of characters names its unit (`qu`).
 */
export function rateLimitHeaders(answer: DecisionAnswer): RateLimitHeaders {
  let policy = '';
  let state = '';
  for (const limit of answer.limits) {
    const separator = policy === '' ? '' : ', ';
    const unit = limit.unit === 'chars' ? `;qu="${CHARS_UNIT}"` : '';
    if (limit.windowSeconds === null) {
      policy += `${separator}"${limit.name}";q=${limit.limit}${unit}`;
      state += `${separator}"${limit.name}";r=${limit.remaining}`;
    } else {
      policy += `${separator}"${limit.name}";q=${limit.limit};w=${limit.windowSeconds}${unit}`;
      state += `${separator}"${limit.name}";r=${limit.remaining};t=${limit.resetSeconds ?? 0}`;
    }
  }
  const retryAfter =
    !answer.allowed && answer.retryAfterSeconds !== null ? String(answer.retryAfterSeconds) : undefined;
  return { policy, state, retryAfter };
}
