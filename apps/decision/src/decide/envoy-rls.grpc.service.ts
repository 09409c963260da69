import { Injectable } from '@nestjs/common';
import { ServerUnaryCall, sendUnaryData, status } from '@grpc/grpc-js';
import { DecisionAnswer } from '@metergate/contracts';
import { DecisionConfig } from '../decision.config';
import { ReadModel } from '../read-model/read-model';
import { parseCheck } from './check.parser';
import { DecideService, ValidCheck } from './decide.service';
import { rateLimitHeaders } from './rate-limit-headers';

/** envoy.service.ratelimit.v3 messages as proto-loader hands them over (camelCase, enums as names). */
interface RateLimitRequest {
  domain?: string;
  descriptors: { entries: { key?: string; value?: string }[]; hitsAddend?: { value?: number } | null }[];
  hitsAddend?: number;
}

type Code = 'OK' | 'OVER_LIMIT';

interface DescriptorStatus {
  code: Code;
  currentLimit?: {
    name: string;
    requestsPerUnit: number;
    unit: 'UNKNOWN' | 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'MONTH';
  };
  limitRemaining?: number;
  durationUntilReset?: { seconds: number };
}

interface RateLimitResponse {
  overallCode: Code;
  statuses: DescriptorStatus[];
  responseHeadersToAdd: { key: string; value: string }[];
  requestHeadersToAdd: { key: string; value: string }[];
}

/** Request header carrying the call's id upstream, to be used as the `id` of its usage event. */
export const REQUEST_ID_HEADER = 'x-metergate-request-id';

/** Entries that make a descriptor Metergate's; `model` and `user_id` alone could be anyone's. */
const IDENTIFYING_KEYS = ['org_id', 'api_key', 'endpoint'] as const;

/**
 * Envoy's rate limit service (ShouldRateLimit). Descriptor entries `org_id` (or `api_key`), `endpoint`,
 * `model`, `user_id` make one check each. A descriptor with none of `org_id`, `api_key` and `endpoint`
 * is not Metergate's and is OK; one with some of them but not a whole check (an org without an
 * endpoint) cannot be read, and is OVER_LIMIT rather than a call let through uncounted.
 * Each descriptor gets its own status; all of a request are counted together or not at all, since
 * Envoy lets the call through only when every one is OK.
 */
@Injectable()
export class EnvoyRlsGrpcService {
  constructor(
    private readonly decide: DecideService,
    private readonly model: ReadModel,
    private readonly config: DecisionConfig,
  ) {}

  implementation() {
    return {
      ShouldRateLimit: (
        call: ServerUnaryCall<RateLimitRequest, RateLimitResponse>,
        callback: sendUnaryData<RateLimitResponse>,
      ) => {
        const request = call.request;
        if (request.domain !== this.config.DECISION_RLS_DOMAIN) {
          return callback({
            code: status.INVALID_ARGUMENT,
            details: `domain must be ${this.config.DECISION_RLS_DOMAIN}, not ${request.domain ?? '(empty)'}`,
          });
        }
        // Each descriptor is judged on its own: one that cannot be read is OVER_LIMIT (Envoy would turn an
        // error into an uncounted pass), and the others still get their own status.
        const checks: (ValidCheck | undefined)[] = [];
        const checkOf: number[] = [];
        request.descriptors.forEach((descriptor, i) => {
          const entries: Record<string, string> = {};
          for (const e of descriptor.entries) if (e.key) entries[e.key] = e.value ?? '';
          if (!IDENTIFYING_KEYS.some((key) => entries[key] !== undefined)) {
            checkOf.push(-1);
            return;
          }
          // Ours but incomplete (an org without an endpoint, say): parseCheck refuses it, so OVER_LIMIT.
          const body: Record<string, unknown> = { hits: hitsOf(descriptor.hitsAddend, request.hitsAddend) };
          if (entries.endpoint !== undefined) body.endpoint = entries.endpoint;
          if (entries.org_id !== undefined) body.orgId = entries.org_id;
          if (entries.api_key !== undefined) body.apiKey = entries.api_key;
          if (entries.model !== undefined) body.model = entries.model;
          if (entries.user_id !== undefined) body.userId = entries.user_id;
          checkOf.push(checks.length);
          checks.push(parseCheck(body, this.model.policy, `descriptors[${i}]`, []));
        });
        callback(null, this.response(checkOf, this.decide.checkAll(checks)));
      },
    };
  }

  private response(checkOf: number[], results: (DecisionAnswer | undefined)[]): RateLimitResponse {
    const statuses = checkOf.map((i): DescriptorStatus => {
      if (i < 0) return { code: 'OK' };
      const answer = results[i];
      return answer ? descriptorStatus(answer) : { code: 'OVER_LIMIT' };
    });
    const answers = results.filter((a): a is DecisionAnswer => a !== undefined);
    const unreadable = answers.length < results.length;
    const denied = answers.find((a) => !a.allowed);
    const shown = denied ?? answers[0];
    const responseHeadersToAdd: { key: string; value: string }[] = [];
    const requestHeadersToAdd: { key: string; value: string }[] = [];
    if (shown) {
      const headers = rateLimitHeaders(shown);
      if (headers.policy !== '') {
        responseHeadersToAdd.push(
          { key: 'RateLimit-Policy', value: headers.policy },
          { key: 'RateLimit', value: headers.state },
        );
      }
      if (headers.retryAfter !== undefined)
        responseHeadersToAdd.push({ key: 'Retry-After', value: headers.retryAfter });
    }
    const over = denied !== undefined || unreadable;
    if (answers.length > 0 && !over)
      requestHeadersToAdd.push({ key: REQUEST_ID_HEADER, value: answers[0].requestId });
    return { overallCode: over ? 'OVER_LIMIT' : 'OK', statuses, responseHeadersToAdd, requestHeadersToAdd };
  }
}

/**
 * Calls a descriptor adds: its own hits_addend when set, even to 0 (a peek); else the request's, where 0
 * means unset, which Envoy counts as 1.
 */
function hitsOf(own: { value?: number } | null | undefined, request: number | undefined): number {
  if (own !== undefined && own !== null) return Number(own.value ?? 0);
  return request ? request : 1;
}

const ENVOY_UNITS: Record<number, 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'MONTH'> = {
  1: 'SECOND',
  60: 'MINUTE',
  3600: 'HOUR',
  86400: 'DAY',
};

/** The call-count limit closest to its cap stands for the descriptor (Envoy has no unit for characters). */
function descriptorStatus(answer: DecisionAnswer): DescriptorStatus {
  const result: DescriptorStatus = { code: answer.allowed ? 'OK' : 'OVER_LIMIT' };
  let tightest: DecisionAnswer['limits'][number] | undefined;
  for (const limit of answer.limits) {
    if (limit.unit !== 'calls' || limit.windowSeconds === null) continue;
    if (!tightest || limit.remaining < tightest.remaining) tightest = limit;
  }
  if (tightest) {
    result.currentLimit = {
      name: tightest.name,
      requestsPerUnit: tightest.limit,
      unit: tightest.window === 'month' ? 'MONTH' : (ENVOY_UNITS[tightest.windowSeconds!] ?? 'UNKNOWN'),
    };
    result.limitRemaining = tightest.remaining;
    result.durationUntilReset = { seconds: tightest.resetSeconds ?? 0 };
  }
  if (!answer.allowed && answer.retryAfterSeconds !== null) {
    result.durationUntilReset = { seconds: answer.retryAfterSeconds };
  }
  return result;
}
