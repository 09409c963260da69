import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Matches, MaxLength } from 'class-validator';
import { invalidInput } from '@metergate/platform';

export const ORG_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_NAME = 128;
export const MAX_TEXT = 5000;

export class OrgParams {
  @Matches(ORG_ID_PATTERN, { message: 'orgId must be 1 to 64 of letters, digits, _ and -' })
  orgId!: string;
}

export class ApplicationParams {
  @MaxLength(MAX_NAME, { message: `applicationId must be at most ${MAX_NAME} characters` })
  applicationId!: string;
}

/**
 * For a route that takes no query parameters: any given is refused like an unknown field in a body. A
 * decorator rather than an empty DTO, which the validation pipe would refuse even when nothing is given.
 */
export const NoQuery = createParamDecorator((_data: unknown, context: ExecutionContext): void => {
  const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown>;
  const unknown = Object.keys(query);
  if (unknown.length > 0) {
    throw invalidInput(unknown.map((key) => ({ field: key, message: `property ${key} should not exist` })));
  }
});

export const ACTOR_HEADER = 'x-actor';

/**
 * Who performs an admin change over HTTP. The contract's bodies name the actor only for reviews and
 * submissions; for the rest the caller (an admin console behind the gateway) says who in X-Actor.
 */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<FastifyRequest>().headers[ACTOR_HEADER];
  if (value === undefined) return 'admin-api';
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME) {
    throw invalidInput([
      { field: ACTOR_HEADER, message: `${ACTOR_HEADER} must be 1 to ${MAX_NAME} characters` },
    ]);
  }
  return value;
});
