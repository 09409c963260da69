import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT } from '../http/http-input';

/** The contract sends no body; an optional reason is accepted for the trail. */
export class ReinstateOrganizationRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason?: string;
}
