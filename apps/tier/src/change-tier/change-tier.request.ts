import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT } from '../http/http-input';

export class ChangeTierRequest {
  @ApiProperty({ description: 'Any tier the access policy defines.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  tier!: string;

  @ApiProperty({ description: 'Why the override.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason!: string;
}
