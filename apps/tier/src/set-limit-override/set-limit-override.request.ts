import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LimitOverride, LimitUnit, MAX_OVERRIDE_LIMITS } from '@metergate/policy';

const MAX_CAP = 1_000_000_000;
const UNITS: LimitUnit[] = ['calls', 'chars'];

/**
 * One limit in the general form. Its shape is checked here; what depends on the policy (the window's
 * grammar, the model, duplicates) is the access rules' (validLimitOverride), for HTTP and the CLI alike.
 */
export class LimitOverrideEntryRequest {
  @ApiProperty({ enum: UNITS })
  @IsIn(UNITS, { message: 'unit must be calls or chars' })
  unit!: LimitUnit;

  @ApiProperty({
    description:
      'An ISO 8601 duration from PT1S to P31D (a sliding window), P1M (the calendar month, UTC) or lifetime',
    example: 'PT1M',
  })
  @IsString()
  @MaxLength(32)
  window!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'null lifts the cap' })
  @ValidateIf((entry: LimitOverrideEntryRequest) => entry.limit !== null)
  @IsInt({ message: 'limit must be a non-negative integer or null' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  limit!: number | null;

  @ApiPropertyOptional({ description: "One of the policy's models: the limit counts only its calls" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  model?: string;
}

/**
 * Absent keeps the tier's limit, null lifts the cap, a number replaces it. perMinute and perDay are calls
 * per PT1M and per P1D; `limits` gives any unit, window and model. Both forms may be combined, each window
 * given once.
 */
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

  @ApiPropertyOptional({ type: [LimitOverrideEntryRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_OVERRIDE_LIMITS)
  @ValidateNested({ each: true })
  @Type(() => LimitOverrideEntryRequest)
  limits?: LimitOverrideEntryRequest[];
}

/** The override the request asks for, as the access rules take it. */
export function requestedOverride(request: SetLimitOverrideRequest): LimitOverride {
  const override: LimitOverride = {};
  if (request.perMinute !== undefined) override.perMinute = request.perMinute;
  if (request.perDay !== undefined) override.perDay = request.perDay;
  if (request.limits !== undefined) {
    override.limits = request.limits.map(({ unit, window, limit, model }) => ({
      unit,
      window,
      limit,
      ...(model !== undefined && { model }),
    }));
  }
  return override;
}
