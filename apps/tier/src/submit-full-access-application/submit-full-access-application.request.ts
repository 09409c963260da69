import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsBoolean, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_NAME, MAX_TEXT } from '../http/http-input';

export class SubmitFullAccessApplicationRequest {
  @ApiProperty({ description: 'What the organization builds with the API.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  useCase!: string;

  @ApiProperty({ description: 'How and by whom the outputs will be used.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  intendedUse!: string;

  @ApiProperty({ description: 'Potential risks and how they are mitigated.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  risks!: string;

  @ApiProperty({ description: 'Must be true: the organization accepts the usage guidelines.' })
  @IsBoolean()
  @Equals(true, { message: 'commitment must be true: the organization has to accept the usage guidelines' })
  commitment!: boolean;

  @ApiProperty({ description: 'Who submits it (a user of the organization).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME)
  submittedBy!: string;
}
