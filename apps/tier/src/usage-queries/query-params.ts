import { IsOptional, Matches } from 'class-validator';
import { IsRfc3339Time } from '@metergate/contracts';

const ENDPOINT = /^[a-z0-9_-]{1,64}$/;

/**
 * An optional `from` or `to` of a query string: the same check as ingest's timestamps, a real date and
 * time (no February 30, no hour 24).
 */
export function IsTime(): PropertyDecorator {
  const decorators = [
    IsOptional(),
    IsRfc3339Time(
      (name) =>
        `${name} must be an RFC 3339 time with an offset, naming a real date and time, e.g. 2026-03-01T00:00:00Z`,
    ),
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
