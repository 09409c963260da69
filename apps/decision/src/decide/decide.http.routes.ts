import { HttpException, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { CallFields, DecisionAnswer, DecisionLimits, textFault } from '@metergate/contracts';
import { AuthTokens, FieldProblem, LaneAnswer, invalidInput } from '@metergate/platform';
import { ReadModel } from '../read-model/read-model';
import { parseCheck } from './check.parser';
import { DecideService, REQUEST_ID_CONFLICT, ValidCheck } from './decide.service';
import {
  decisionAnswerSchema,
  decisionBatchSchema,
  releaseSchema,
  serializeDecisionAnswer,
} from './decision.schemas';
import { rateLimitHeaders } from './rate-limit-headers';
import { requestIdConflict, releaseNotFound } from './decision.errors';

/**
 * The decision routes, on the Fastify instance itself rather than through Nest's per-request pipeline
 * (guards, interceptors, pipes, exception filters), which cost more than a decision: a check is a few
 * microseconds of work, and these routes run before every call a gateway lets through. Still wired by
 * Nest's DI; bodies, statuses and errors are exactly those of the Nest routes they replace. A single
 * check also takes the platform's fast lane (ahead of Fastify) when its request is a plain one, with the
 * same handler, serializer and errors.
 */
@Injectable()
export class DecideHttpRoutes implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly decide: DecideService,
    private readonly model: ReadModel,
    private readonly tokens: AuthTokens,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    const errorHandler = (
      error: Error & { statusCode?: number },
      _req: FastifyRequest,
      reply: FastifyReply,
    ) => sendError(reply, error);
    fastify.post(
      '/v1/decisions',
      { schema: { response: { 200: decisionAnswerSchema } }, errorHandler },
      (req, reply) => this.check(req, reply),
    );
    fastify.fastLane.add({
      method: 'POST',
      path: '/v1/decisions',
      accepts: (req: IncomingMessage) =>
        this.tokens.authorize(req.headers.authorization, SERVICE, req.socket).kind === 'allowed',
      answer: (body) => {
        const { answer, headers } = this.answerCheck(body);
        return { status: 200, json: serializeDecisionAnswer(answer), headers };
      },
      fail: errorAnswer,
    });
    fastify.post(
      '/v1/decisions/batch',
      { schema: { response: { 200: decisionBatchSchema } }, errorHandler },
      (req, reply) => this.checkBatch(req, reply),
    );
    fastify.post(
      '/v1/decisions/:requestId/release',
      { schema: { response: { 200: releaseSchema } }, errorHandler },
      (req, reply) => this.release(req as FastifyRequest<{ Params: { requestId: string } }>, reply),
    );
  }

  private check(request: FastifyRequest, reply: FastifyReply): DecisionAnswer | undefined {
    if (!this.authorized(request, reply)) return undefined;
    const { answer, headers } = this.answerCheck(request.body);
    void reply.headers(headers);
    return answer;
  }

  /** A check's answer and its RateLimit fields; throws the 400 of a bad check and the 409 of a reused id. */
  private answerCheck(body: unknown): { answer: DecisionAnswer; headers: Record<string, string> } {
    const problems: FieldProblem[] = [];
    const check = parseCheck(body, this.model.policy, '', problems);
    if (!check) throw invalidInput(problems);
    const answer = this.decide.check(check);
    if (answer === REQUEST_ID_CONFLICT) throw requestIdConflict(check.requestId!);
    const fields = rateLimitHeaders(answer);
    const headers: Record<string, string> = {};
    if (fields.policy !== '') {
      headers['ratelimit-policy'] = fields.policy;
      headers.ratelimit = fields.state;
    }
    if (fields.retryAfter !== undefined) headers['retry-after'] = fields.retryAfter;
    return { answer, headers };
  }

  private checkBatch(
    request: FastifyRequest,
    reply: FastifyReply,
  ): { results: DecisionAnswer[] } | undefined {
    if (!this.authorized(request, reply)) return undefined;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidInput([{ field: 'body', message: 'body must be an object with checks' }]);
    }
    const problems: FieldProblem[] = [];
    for (const key of Object.keys(body)) {
      if (key !== 'checks') problems.push({ field: key, message: `property ${key} should not exist` });
    }
    const raw = (body as { checks?: unknown }).checks;
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > DecisionLimits.maxChecksPerBatch) {
      problems.push({
        field: 'checks',
        message: `checks must be a list of 1 to ${DecisionLimits.maxChecksPerBatch} checks`,
      });
      throw invalidInput(problems);
    }
    const checks: ValidCheck[] = [];
    raw.forEach((item, i) => {
      const check = parseCheck(item, this.model.policy, `checks[${i}]`, problems);
      if (check) checks.push(check);
    });
    if (problems.length > 0) throw invalidInput(problems);
    return { results: this.decide.checkEach(checks) };
  }

  private release(
    request: FastifyRequest<{ Params: { requestId: string } }>,
    reply: FastifyReply,
  ): { released: number } | undefined {
    if (!this.authorized(request, reply)) return undefined;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const problems: FieldProblem[] = [];
    if (typeof body !== 'object' || Array.isArray(body))
      problems.push({ field: 'body', message: 'body must be an object' });
    for (const key of Object.keys(body)) {
      if (key !== 'orgId') problems.push({ field: key, message: `property ${key} should not exist` });
    }
    const orgId = body.orgId;
    const orgFault = orgId === undefined ? undefined : textFault(orgId, CallFields.orgId);
    if (orgFault) problems.push({ field: 'orgId', message: `orgId ${orgFault}` });
    const requestId = request.params.requestId;
    const idFault = textFault(requestId, CallFields.callId);
    if (idFault) problems.push({ field: 'requestId', message: `requestId ${idFault}` });
    if (problems.length > 0) throw invalidInput(problems);
    const released = this.decide.releaseById(requestId, orgId as string | undefined);
    if (released === undefined) throw releaseNotFound(requestId);
    return { released };
  }

  /** The service role's bearer token (or an admin's); answers 401/403 itself when it is not. */
  private authorized(request: FastifyRequest, reply: FastifyReply): boolean {
    const verdict = this.tokens.authorize(request.headers.authorization, SERVICE, request.raw.socket);
    if (verdict.kind === 'allowed') return true;
    const status = verdict.kind === 'unauthenticated' ? 401 : 403;
    void reply.code(status).send({
      statusCode: status,
      error: status === 401 ? 'Unauthorized' : 'Forbidden',
      message: verdict.message,
    });
    return false;
  }
}

const SERVICE = ['service'] as const;

/** The error bodies Nest's exception layer would have sent, for errors raised here or by the parser. */
function errorBody(error: unknown): { status: number; body: unknown } {
  if (error instanceof HttpException) return { status: error.getStatus(), body: error.getResponse() };
  const status = (error as { statusCode?: number }).statusCode ?? 500;
  return {
    status,
    body: {
      statusCode: status,
      error: status === 413 ? 'Payload Too Large' : status < 500 ? 'Bad Request' : 'Internal Server Error',
      message: status < 500 ? (error as Error).message : 'Internal server error',
    },
  };
}

function sendError(reply: FastifyReply, error: Error & { statusCode?: number }): void {
  const { status, body } = errorBody(error);
  void reply.code(status).send(body);
}

function errorAnswer(error: unknown): LaneAnswer {
  const { status, body } = errorBody(error);
  return { status, json: JSON.stringify(body) };
}
