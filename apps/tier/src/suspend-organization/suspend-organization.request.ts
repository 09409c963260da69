import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT } from '../http/http-input';

export class SuspendOrganizationRequest {
  @ApiProperty({ description: 'Which usage guideline was violated, and how.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason!: string;
}
