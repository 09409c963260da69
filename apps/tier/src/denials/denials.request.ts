import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DENIAL_REASON_PATTERN } from '@metergate/contracts';
import { DENY_REASONS } from '@metergate/policy';
import { IsTime } from '../usage-queries/query-params';

export class TopDenialsRequest {
  @ApiPropertyOptional({ description: 'RFC 3339; default: `to` minus 1 day' })
  @IsTime()
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339, exclusive; default: now' })
  @IsTime()
  to?: string;

  @ApiPropertyOptional({
    description: `Only this reason (${DENY_REASONS.join(', ')}, or one a newer replica publishes)`,
  })
  @IsOptional()
  @Matches(DENIAL_REASON_PATTERN, { message: 'reason must be 1 to 64 of a-z and _' })
  reason?: string;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;
}

export class OrgDenialsRequest {
  @ApiPropertyOptional({ description: 'RFC 3339; default: `to` minus 1 hour' })
  @IsTime()
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339, exclusive; default: now' })
  @IsTime()
  to?: string;
}
