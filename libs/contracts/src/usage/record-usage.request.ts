import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import { CallFields } from '../fields/call-fields';
import { IsTextField } from '../fields/field.decorators';
import { parseRfc3339 } from '../fields/rfc3339';
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

export function isRecentTimestamp(value: unknown, now: number): boolean {
  const at = parseRfc3339(value);
  return at !== undefined && at <= now + UsageLimits.maxFutureSkewMs && at >= now - UsageLimits.maxAgeMs;
}

const LENGTHS = 'Lengths are UTF-16 code units (an emoji outside the BMP counts 2).';
const IDENTIFIER = `Letters, digits, _ and -. ${LENGTHS}`;
const NAME =
  'Printable Unicode: no control, line-separator or invisible formatting character (bidirectional ' +
  `marks, zero-width characters), no lone surrogate, no whitespace at either end. ${LENGTHS}`;

export class UsageEventDto {
  @ApiProperty({
    description:
      "The client's idempotency key for the call, unique per organization (the decision's requestId when " +
      'the call was checked). Any printable Unicode: no control or line-separator character, no lone ' +
      `surrogate, not blank. ${LENGTHS}`,
    minLength: 1,
    maxLength: CallFields.callId.maxLength,
  })
  @IsTextField(CallFields.callId)
  id!: string;

  @ApiProperty({
    description: IDENTIFIER,
    pattern: '^[A-Za-z0-9_-]+$',
    maxLength: CallFields.orgId.maxLength,
  })
  @IsTextField(CallFields.orgId)
  orgId!: string;

  @ApiPropertyOptional({
    description: IDENTIFIER,
    pattern: '^[A-Za-z0-9_-]+$',
    maxLength: CallFields.userId.maxLength,
  })
  @IsOptional()
  @IsTextField(CallFields.userId)
  userId?: string;

  @ApiPropertyOptional({
    description: `The API key the call was made with (its id, never the secret). ${IDENTIFIER}`,
    pattern: '^[A-Za-z0-9_-]+$',
    maxLength: CallFields.keyId.maxLength,
  })
  @IsOptional()
  @IsTextField(CallFields.keyId)
  keyId?: string;

  @ApiProperty({
    description: 'An endpoint the access policy defines, e.g. generate, embed, classify.',
    maxLength: CallFields.endpoint.maxLength,
  })
  @IsTextField(CallFields.endpoint)
  endpoint!: string;

  @ApiPropertyOptional({ description: `The model used. ${NAME}`, maxLength: CallFields.model.maxLength })
  @IsOptional()
  @IsTextField(CallFields.model)
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

  @ApiProperty({
    description:
      'RFC 3339 time of the call, with an offset; a real date and time (no February 30, no hour 24), ' +
      'at most 5 minutes ahead and 7 days back.',
    example: '2026-11-28T12:00:00Z',
  })
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
