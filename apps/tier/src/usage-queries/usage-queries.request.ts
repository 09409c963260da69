import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { GRANULARITIES, Granularity } from './usage-range';

/** RFC 3339 with an explicit offset; an impossible month or hour is refused where the range is resolved. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const ENDPOINT = /^[a-z0-9_-]{1,64}$/;

export function IsTime(name: string): PropertyDecorator {
  const decorators = [
    IsOptional(),
    Matches(RFC3339, {
      message: `${name} must be an RFC 3339 time with an offset, e.g. 2026-03-01T00:00:00Z`,
    }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export const SERIES_GROUPS = ['endpoint', 'user', 'model'] as const;
export const TOP_METRICS = ['calls', 'chars'] as const;

export class UsageSeriesRequest {
  @ApiPropertyOptional({
    description: 'RFC 3339; default: `to` minus 1 hour, 1 day or 30 days by granularity',
  })
  @IsTime('from')
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339, exclusive; default: now' })
  @IsTime('to')
  to?: string;

  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'hour' })
  @IsOptional()
  @IsIn(GRANULARITIES, { message: `granularity must be one of ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;

  @ApiPropertyOptional({ description: 'Only this endpoint' })
  @IsOptional()
  @Matches(ENDPOINT, { message: 'endpoint must be 1 to 64 of a-z, 0-9, _ and -' })
  endpoint?: string;

  @ApiPropertyOptional({ enum: SERIES_GROUPS, description: 'user and model need granularity hour or day' })
  @IsOptional()
  @IsIn(SERIES_GROUPS, { message: `groupBy must be one of ${SERIES_GROUPS.join(', ')}` })
  groupBy?: (typeof SERIES_GROUPS)[number];
}

export class TopUsageRequest {
  @ApiPropertyOptional({ enum: TOP_METRICS, default: 'calls' })
  @IsOptional()
  @IsIn(TOP_METRICS, { message: `metric must be one of ${TOP_METRICS.join(', ')}` })
  metric?: (typeof TOP_METRICS)[number];

  @ApiPropertyOptional({ description: 'Only this endpoint' })
  @IsOptional()
  @Matches(ENDPOINT, { message: 'endpoint must be 1 to 64 of a-z, 0-9, _ and -' })
  endpoint?: string;

  @ApiPropertyOptional({ description: 'RFC 3339; default: `to` minus 1 day' })
  @IsTime('from')
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339, exclusive; default: now' })
  @IsTime('to')
  to?: string;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;
}
