import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const MAX_CAP = 1_000_000_000;

/** Each window is optional: absent keeps the tier's limit, null lifts the cap, a number replaces it. */
export class SetLimitOverrideRequest {
  @ApiProperty({ description: 'An endpoint of the access policy.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  endpoint!: string;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @IsInt({ message: 'perMinute must be an integer or null' })
  @Min(0)
  @Max(MAX_CAP)
  perMinute?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @IsInt({ message: 'perDay must be an integer or null' })
  @Min(0)
  @Max(MAX_CAP)
  perDay?: number | null;
}
