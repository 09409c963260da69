import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_NAME, MAX_TEXT } from '../http/http-input';

export class ApproveApplicationRequest {
  @ApiProperty({ description: 'Who approves it.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  reviewer!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  note?: string;
}
