import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ValidatorOptions, validateSync } from 'class-validator';

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
const validatorOptions: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...validatorOptions,
    transform: true,
    exceptionFactory: (errors) => invalidInput(flattenValidationErrors(errors)),
  });
}

/**
 * The same validation as the global pipe, for a handler that adds rules the DTO cannot know (values
 * from the access policy): every problem, the DTO's and the handler's, is reported in one 400.
 */
export function validateBody<T extends object>(
  dto: new () => T,
  body: unknown,
  moreProblems: (value: T) => FieldProblem[] = () => [],
): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidInput([{ field: 'body', message: 'body must be a JSON object' }]);
  }
  const value = plainToInstance(dto, body);
  const errors = validateSync(value, validatorOptions);
  const problems = errors.length > 0 ? flattenValidationErrors(errors) : [];
  problems.push(...moreProblems(value));
  if (problems.length > 0) throw invalidInput(problems);
  return value;
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
