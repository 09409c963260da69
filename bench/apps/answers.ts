/**
 * What the baselines answer: a decision of embed on the trial tier for an org with one call counted,
 * exactly as the decision app writes it (fields, order, a v4 UUID and an ISO time), so that the bytes
 * serialized and sent are the decision's. The bare servers do none of the work that fills it in.
 */
export const DECISION_ANSWER = {
  allowed: true,
  reason: null,
  tier: 'trial',
  retryAfterSeconds: null,
  limits: [
    {
      name: 'embed-minute',
      unit: 'calls',
      window: 'minute',
      windowSeconds: 60,
      limit: 500,
      remaining: 499,
      reserved: 0,
      resetSeconds: 60,
    },
    {
      name: 'embed-day',
      unit: 'calls',
      window: 'day',
      windowSeconds: 86400,
      limit: 100000,
      remaining: 99999,
      reserved: 0,
      resetSeconds: 86362,
    },
  ],
  requestId: '1148adea-4209-460a-8275-6e3164688781',
  asOf: '2026-11-29T09:28:38.269Z',
};

/** The decision app's RateLimit headers (draft IETF RateLimit fields) for that answer. */
export const DECISION_HEADERS = {
  'ratelimit-policy': '"embed-minute";q=500;w=60, "embed-day";q=100000;w=86400',
  ratelimit: '"embed-minute";r=499;t=60, "embed-day";r=99999;t=86362',
};

/** The same answer as gRPC CheckResponse (proto3 optionals absent rather than null). */
export const CHECK_RESPONSE = {
  allowed: true,
  tier: DECISION_ANSWER.tier,
  limits: DECISION_ANSWER.limits,
  requestId: DECISION_ANSWER.requestId,
  asOf: DECISION_ANSWER.asOf,
};

/** What the decision app answers Envoy for one allowed descriptor of that org. */
export const RATE_LIMIT_RESPONSE = {
  overallCode: 'OK',
  statuses: [
    {
      code: 'OK',
      currentLimit: { name: 'embed-minute', requestsPerUnit: 500, unit: 'MINUTE' },
      limitRemaining: 499,
      durationUntilReset: { seconds: 60 },
    },
  ],
  responseHeadersToAdd: [
    { key: 'RateLimit-Policy', value: DECISION_HEADERS['ratelimit-policy'] },
    { key: 'RateLimit', value: DECISION_HEADERS.ratelimit },
  ],
  requestHeadersToAdd: [{ key: 'x-metergate-request-id', value: DECISION_ANSWER.requestId }],
};
