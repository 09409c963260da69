import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_NAME, MAX_TEXT } from '../http/http-input';

export class RejectApplicationRequest {
  @ApiProperty({ description: 'Who rejects it.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  reviewer!: string;

  @ApiProperty({ description: 'Why; the organization sees it and may apply again.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason!: string;
}
