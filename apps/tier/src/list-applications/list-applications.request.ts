import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApplicationStatus } from '@metergate/policy';

export const APPLICATION_STATUSES: ApplicationStatus[] = ['pending', 'approved', 'rejected'];

export class ListApplicationsRequest {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES, { message: `status must be one of ${APPLICATION_STATUSES.join(', ')}` })
  status?: ApplicationStatus;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  limit?: number;
}
