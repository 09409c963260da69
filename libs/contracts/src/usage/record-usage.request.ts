import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import { UsageLimits } from './usage-limits';

/** RFC 3339 with an explicit offset, no further than the contract allows from the server's clock. */
function IsRecentTimestamp() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isRecentTimestamp',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => isRecentTimestamp(value, Date.now()),
        defaultMessage(args: ValidationArguments) {
          return `${args.property} must be an RFC 3339 time at most 5 minutes in the future and at most 7 days in the past`;
        },
      },
    });
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Date.parse rolls impossible dates over (2026-02-30 becomes March 2): check the fields first. */
function isRealTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = match[9] === undefined || (Number(match[9]) <= 23 && Number(match[10]) <= 59);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetOk
  );
}

export function isRecentTimestamp(value: unknown, now: number): boolean {
  if (typeof value !== 'string') return false;
  const match = RFC3339.exec(value);
  if (!match || !isRealTime(match)) return false;
  const at = Date.parse(value);
  return at <= now + UsageLimits.maxFutureSkewMs && at >= now - UsageLimits.maxAgeMs;
}

export class UsageEventDto {
  @ApiProperty({ description: "The client's idempotency key for the call, unique per organization." })
  @IsString()
  @Length(1, UsageLimits.maxIdLength)
  id!: string;

  @ApiProperty({ pattern: '^[A-Za-z0-9_-]{1,64}$' })
  @IsString()
  @Length(1, UsageLimits.maxOrgIdLength)
  @Matches(UsageLimits.idPattern, { message: 'orgId may hold only letters, digits, _ and -' })
  orgId!: string;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]{1,64}$' })
  @IsOptional()
  @IsString()
  @Length(1, UsageLimits.maxOrgIdLength)
  @Matches(UsageLimits.idPattern, { message: 'userId may hold only letters, digits, _ and -' })
  userId?: string;

  @ApiProperty({ description: 'An endpoint the access policy defines, e.g. generate, embed, classify.' })
  @IsString()
  @Length(1, 64)
  endpoint!: string;

  @ApiPropertyOptional({ maxLength: UsageLimits.maxModelLength })
  @IsOptional()
  @IsString()
  @MaxLength(UsageLimits.maxModelLength)
  model?: string;

  @ApiProperty({ minimum: 0, maximum: UsageLimits.maxChars })
  @IsInt()
  @Min(0)
  @Max(UsageLimits.maxChars)
  inputChars!: number;

  @ApiProperty({ minimum: 0, maximum: UsageLimits.maxChars })
  @IsInt()
  @Min(0)
  @Max(UsageLimits.maxChars)
  outputChars!: number;

  @ApiProperty({ description: 'RFC 3339 time of the call.', example: '2026-11-28T12:00:00Z' })
  @IsRecentTimestamp()
  timestamp!: string;
}

export class RecordUsageRequest {
  @ApiProperty({ type: [UsageEventDto], minItems: 1, maxItems: UsageLimits.maxEventsPerBatch })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(UsageLimits.maxEventsPerBatch)
  @ValidateNested({ each: true })
  @Type(() => UsageEventDto)
  events!: UsageEventDto[];
}

export class RecordUsageResponse {
  @ApiProperty()
  accepted!: number;
}
