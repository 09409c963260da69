import { Injectable } from '@nestjs/common';
import { ServerUnaryCall, sendUnaryData, status } from '@grpc/grpc-js';
import { DecisionAnswer } from '@metergate/contracts';
import { FieldProblem } from '@metergate/platform';
import { DecisionConfig } from '../decision.config';
import { ReadModel } from '../read-model/read-model';
import { parseCheck } from './check.parser';
import { DecideService, ValidCheck } from './decide.service';
import { rateLimitHeaders } from './rate-limit-headers';

/** envoy.service.ratelimit.v3 messages as proto-loader hands them over (camelCase, enums as names). */
interface RateLimitRequest {
  domain?: string;
  descriptors: { entries: { key?: string; value?: string }[]; hitsAddend?: { value?: number } }[];
  hitsAddend?: number;
}

type Code = 'OK' | 'OVER_LIMIT';

interface DescriptorStatus {
  code: Code;
  currentLimit?: { name: string; requestsPerUnit: number; unit: 'MINUTE' | 'DAY' };
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

/**
 * Envoy's rate limit service (ShouldRateLimit). Descriptor entries `org_id`, `endpoint`, `model`,
 * `user_id` make one check each; a descriptor without org_id and endpoint is not Metergate's and is OK.
 * All descriptors of a request are counted together or not at all, since Envoy lets the call through
 * only when every one is OK.
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
        const problems: FieldProblem[] = [];
        const checks: ValidCheck[] = [];
        const checkOf: number[] = [];
        request.descriptors.forEach((descriptor, i) => {
          const entries: Record<string, string> = {};
          for (const e of descriptor.entries) if (e.key) entries[e.key] = e.value ?? '';
          if (entries.org_id === undefined || entries.endpoint === undefined) {
            checkOf.push(-1);
            return;
          }
          const hits = descriptor.hitsAddend?.value ?? (request.hitsAddend ? request.hitsAddend : 1);
          const body: Record<string, unknown> = { orgId: entries.org_id, endpoint: entries.endpoint, hits };
          if (entries.model !== undefined) body.model = entries.model;
          if (entries.user_id !== undefined) body.userId = entries.user_id;
          const check = parseCheck(body, this.model.policy, `descriptors[${i}]`, problems);
          checkOf.push(check ? checks.length : -1);
          if (check) checks.push(check);
        });
        if (problems.length > 0) {
          return callback({
            code: status.INVALID_ARGUMENT,
            details: problems.map((p) => p.message).join('; '),
          });
        }
        this.decide.checkAll(checks).then(
          (answers) => callback(null, this.response(checkOf, answers)),
          (e: Error) => callback(e),
        );
      },
    };
  }

  private response(checkOf: number[], answers: DecisionAnswer[]): RateLimitResponse {
    const statuses = checkOf.map((i): DescriptorStatus =>
      i < 0 ? { code: 'OK' } : descriptorStatus(answers[i]),
    );
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
    if (answers.length > 0 && !denied)
      requestHeadersToAdd.push({ key: REQUEST_ID_HEADER, value: answers[0].requestId });
    return { overallCode: denied ? 'OVER_LIMIT' : 'OK', statuses, responseHeadersToAdd, requestHeadersToAdd };
  }
}

/** The call-count limit closest to its cap stands for the descriptor (Envoy has no unit for characters). */
function descriptorStatus(answer: DecisionAnswer): DescriptorStatus {
  const result: DescriptorStatus = { code: answer.allowed ? 'OK' : 'OVER_LIMIT' };
  let tightest: DecisionAnswer['limits'][number] | undefined;
  for (const limit of answer.limits) {
    if (limit.window === 'lifetime') continue;
    if (!tightest || limit.remaining < tightest.remaining) tightest = limit;
  }
  if (tightest) {
    result.currentLimit = {
      name: tightest.name,
      requestsPerUnit: tightest.limit,
      unit: tightest.window === 'minute' ? 'MINUTE' : 'DAY',
    };
    result.limitRemaining = tightest.remaining;
    result.durationUntilReset = { seconds: tightest.resetSeconds ?? 0 };
  }
  if (!answer.allowed && answer.retryAfterSeconds !== null) {
    result.durationUntilReset = { seconds: answer.retryAfterSeconds };
  }
  return result;
}
