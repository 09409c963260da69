import { IsOptional, Matches } from 'class-validator';

/** RFC 3339 with an explicit offset; an impossible month or hour is refused where the range is resolved. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const ENDPOINT = /^[a-z0-9_-]{1,64}$/;

/** An optional `from` or `to` of a query string. */
export function IsTime(name: string): PropertyDecorator {
  const decorators = [
    IsOptional(),
    Matches(RFC3339, {
      message: `${name} must be an RFC 3339 time with an offset, e.g. 2026-03-01T00:00:00Z`,
    }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** An optional endpoint filter of a query string. */
export function IsEndpointFilter(): PropertyDecorator {
  const decorators = [
    IsOptional(),
    Matches(ENDPOINT, { message: 'endpoint must be 1 to 64 of a-z, 0-9, _ and -' }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}
