import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { invalidInput } from '@metergate/platform';
import { AccessError, AccessErrorKind } from '@metergate/policy';
import { ConcurrentChangeError, StoreUnavailableError } from '../access/access-store.errors';

const statusOf: Record<AccessErrorKind, HttpStatus> = {
  'not-found': HttpStatus.NOT_FOUND,
  'forbidden-transition': HttpStatus.CONFLICT,
  'invalid-input': HttpStatus.BAD_REQUEST,
};

const RETRY_AFTER_SECONDS = 2;

/** The one place where the access rules' refusals become HTTP statuses. */
@Catch(AccessError, ConcurrentChangeError, StoreUnavailableError)
export class AccessErrorsHttpFilter implements ExceptionFilter {
  catch(error: AccessError | ConcurrentChangeError | StoreUnavailableError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof StoreUnavailableError) {
      response.header('Retry-After', String(RETRY_AFTER_SECONDS));
      response.status(HttpStatus.SERVICE_UNAVAILABLE).send({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: error.message,
      });
      return;
    }
    if (error instanceof ConcurrentChangeError) {
      response.status(HttpStatus.CONFLICT).send({
        statusCode: HttpStatus.CONFLICT,
        error: 'Conflict',
        code: 'ACCESS.CONCURRENT_CHANGE',
        message: error.message,
      });
      return;
    }
    const status = statusOf[error.kind];
    if (status === HttpStatus.BAD_REQUEST) {
      const body = invalidInput([
        { field: error.field ?? 'body', message: error.message },
      ]).getResponse() as object;
      response.status(status).send({ ...body, code: error.code });
      return;
    }
    response.status(status).send({
      statusCode: status,
      error: status === HttpStatus.NOT_FOUND ? 'Not Found' : 'Conflict',
      code: error.code,
      message: error.message,
    });
  }
}
