import { BadRequestException } from '@nestjs/common';
import { FieldProblem, invalidInput } from '@metergate/platform';

/** The usual 400 for bad input, plus the largest range allowed so that a client can page by it. */
export function badRange(problems: FieldProblem[], maxRange: string): BadRequestException {
  const body = invalidInput(problems).getResponse() as object;
  return new BadRequestException({ ...body, maxRange });
}
