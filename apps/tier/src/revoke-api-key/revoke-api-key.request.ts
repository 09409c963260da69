import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_NAME, MAX_TEXT, OrgParams } from '../http/http-input';

export class OrgKeyParams extends OrgParams {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME, { message: `keyId must be at most ${MAX_NAME} characters` })
  keyId!: string;
}

/** A DELETE carries no body: why the key is revoked goes in the query string, for the trail. */
export class RevokeApiKeyRequest {
  @ApiPropertyOptional({ description: 'Why the key is revoked (leaked, rotated, no longer used).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason?: string;
}
