import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class ListDeadLettersRequest {
  @ApiPropertyOptional({
    description: "The previous page's `next`: dead letters after it. Absent: from the first.",
  })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: "after must be a previous page's next" })
  after?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  limit?: number;
}
