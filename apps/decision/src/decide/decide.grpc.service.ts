import { Injectable } from '@nestjs/common';
import { ServerUnaryCall, sendUnaryData, status } from '@grpc/grpc-js';
import { DecisionAnswer, DecisionLimits } from '@metergate/contracts';
import { FieldProblem } from '@metergate/platform';
import { ReadModel } from '../read-model/read-model';
import { parseCheck } from './check.parser';
import { DecideService, REQUEST_ID_CONFLICT, ValidCheck } from './decide.service';

interface GrpcLimit {
  name: string;
  unit: string;
  window: string;
  windowSeconds?: number;
  limit: number;
  remaining: number;
  reserved: number;
  resetSeconds?: number;
}

interface GrpcAnswer {
  allowed: boolean;
  reason?: string;
  tier: string;
  retryAfterSeconds?: number;
  limits: GrpcLimit[];
  requestId: string;
  asOf: string;
  orgId?: string;
  keyId?: string;
}

/** Proto3 optionals are absent rather than null. */
export function toGrpcAnswer(answer: DecisionAnswer): GrpcAnswer {
  const out: GrpcAnswer = {
    allowed: answer.allowed,
    tier: answer.tier,
    limits: answer.limits.map((l) => {
      const limit: GrpcLimit = {
        name: l.name,
        unit: l.unit,
        window: l.window,
        limit: l.limit,
        remaining: l.remaining,
        reserved: l.reserved,
      };
      if (l.resetSeconds !== null) limit.resetSeconds = l.resetSeconds;
      if (l.windowSeconds !== null) limit.windowSeconds = l.windowSeconds;
      return limit;
    }),
    requestId: answer.requestId,
    asOf: answer.asOf,
  };
  if (answer.reason !== null) out.reason = answer.reason;
  if (answer.orgId !== undefined) out.orgId = answer.orgId;
  if (answer.keyId !== undefined) out.keyId = answer.keyId;
  if (answer.retryAfterSeconds !== null) out.retryAfterSeconds = answer.retryAfterSeconds;
  return out;
}

const invalid = (problems: FieldProblem[]) => ({
  code: status.INVALID_ARGUMENT,
  details: problems.map((p) => p.message).join('; '),
});

/** metergate.decision.v1.DecisionService: the HTTP API's checks over gRPC. */
@Injectable()
export class DecideGrpcService {
  constructor(
    private readonly decide: DecideService,
    private readonly model: ReadModel,
  ) {}

  implementation() {
    return {
      Check: (call: ServerUnaryCall<unknown, GrpcAnswer>, callback: sendUnaryData<GrpcAnswer>) => {
        const problems: FieldProblem[] = [];
        const check = parseCheck(call.request, this.model.policy, '', problems);
        if (!check) return callback(invalid(problems));
        const answer = this.decide.check(check);
        if (answer === REQUEST_ID_CONFLICT) {
          return callback({
            code: status.ALREADY_EXISTS,
            details: `request_id_conflict: request id ${check.requestId} was already used for another check`,
          });
        }
        callback(null, toGrpcAnswer(answer));
      },
      CheckBatch: (
        call: ServerUnaryCall<{ checks?: unknown[] }, { results: GrpcAnswer[] }>,
        callback: sendUnaryData<{ results: GrpcAnswer[] }>,
      ) => {
        const raw = call.request.checks ?? [];
        if (raw.length < 1 || raw.length > DecisionLimits.maxChecksPerBatch) {
          return callback(
            invalid([
              {
                field: 'checks',
                message: `checks must hold 1 to ${DecisionLimits.maxChecksPerBatch} checks`,
              },
            ]),
          );
        }
        const problems: FieldProblem[] = [];
        const checks: ValidCheck[] = [];
        raw.forEach((item, i) => {
          const check = parseCheck(item, this.model.policy, `checks[${i}]`, problems);
          if (check) checks.push(check);
        });
        if (problems.length > 0) return callback(invalid(problems));
        callback(null, { results: this.decide.checkEach(checks).map(toGrpcAnswer) });
      },
    };
  }
}
