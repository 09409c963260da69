import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { API_KEY_PURPOSES, ApiKeyPurpose } from '@metergate/policy';
import { MAX_NAME, MAX_TEXT } from '../http/http-input';

export class IssueApiKeyRequest {
  @ApiProperty({
    enum: API_KEY_PURPOSES,
    description: 'trial: testing and experimentation; production: serving production (needs full access).',
  })
  @IsIn(API_KEY_PURPOSES, { message: `purpose must be one of ${API_KEY_PURPOSES.join(', ')}` })
  purpose!: ApiKeyPurpose;

  @ApiProperty({ description: 'What the key is for, to tell it apart in lists.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  name!: string;

  @ApiPropertyOptional({ description: 'Why it is issued, for the trail.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason?: string;
}
