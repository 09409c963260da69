import { ConflictException, NotFoundException } from '@nestjs/common';

/** A request id names one call: reusing it for another check is refused (gRPC: ALREADY_EXISTS). */
export function requestIdConflict(requestId: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    reason: 'request_id_conflict',
    message: `request id ${requestId} was already used for another check`,
  });
}

export function releaseNotFound(requestId: string): NotFoundException {
  return new NotFoundException({
    statusCode: 404,
    error: 'Not Found',
    message: `no open reservation has the request id ${requestId}`,
  });
}
