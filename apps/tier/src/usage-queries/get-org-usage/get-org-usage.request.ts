import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsEndpointFilter, IsTime } from '../query-params';
import { SeriesDimension } from '../usage-queries.sql';
import { GRANULARITIES, Granularity } from '../usage-range';

export const SERIES_GROUPS: readonly SeriesDimension[] = ['endpoint', 'user', 'model', 'key'];

export class UsageSeriesRequest {
  @ApiPropertyOptional({
    description: 'RFC 3339; default: `to` minus 1 hour, 1 day or 30 days by granularity',
  })
  @IsTime()
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339, exclusive; default: now' })
  @IsTime()
  to?: string;

  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'hour' })
  @IsOptional()
  @IsIn(GRANULARITIES, { message: `granularity must be one of ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;

  @ApiPropertyOptional({ description: 'Only this endpoint' })
  @IsEndpointFilter()
  endpoint?: string;

  @ApiPropertyOptional({ enum: SERIES_GROUPS, description: 'key needs granularity hour or day' })
  @IsOptional()
  @IsIn(SERIES_GROUPS, { message: `groupBy must be one of ${SERIES_GROUPS.join(', ')}` })
  groupBy?: SeriesDimension;
}
