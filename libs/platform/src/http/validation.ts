import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldProblem {
  /** Path of the offending value, e.g. `events[3].orgId`. */
  field: string;
  message: string;
  /** Index in the top-level array, where the problem lies inside one (e.g. which event of a batch). */
  index?: number;
}

/** Flattens class-validator's tree into one line per bad value, each naming its path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const path = isIndex
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field: path,
      message: message.startsWith(`${error.property} `)
        ? `${path}${message.slice(error.property.length)}`
        : `${path}: ${message}`,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

function withIndex(problem: FieldProblem): FieldProblem {
  const match = /^\w+\[(\d+)\]/.exec(problem.field);
  return match ? { ...problem, index: Number(match[1]) } : problem;
}

/**
 * Every HTTP input passes here: unknown fields are an error (not silently dropped), types are not
 * coerced except for path and query strings, and the 400 lists each problem by field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      return invalidInput(flattenValidationErrors(errors));
    },
  });
}

/** The one shape of a 400 for bad input, from the validation pipe or from a rule checked later. */
export function invalidInput(problems: FieldProblem[]): BadRequestException {
  const listed = problems.map(withIndex);
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: listed.map((p) => p.message).join('; '),
    problems: listed,
  });
}
