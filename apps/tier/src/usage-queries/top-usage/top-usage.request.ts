import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsEndpointFilter, IsTime } from '../query-params';
import { TopMetric } from '../usage-projections';

export const TOP_METRICS: readonly TopMetric[] = ['calls', 'chars'];

export class TopUsageRequest {
  @ApiPropertyOptional({ enum: TOP_METRICS, default: 'calls' })
  @IsOptional()
  @IsIn(TOP_METRICS, { message: `metric must be one of ${TOP_METRICS.join(', ')}` })
  metric?: TopMetric;

  @ApiPropertyOptional({ description: 'Only this endpoint' })
  @IsEndpointFilter()
  endpoint?: string;

  @ApiPropertyOptional({ description: 'RFC 3339; default: `to` minus 1 day' })
  @IsTime()
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339, exclusive; default: now' })
  @IsTime()
  to?: string;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;
}
