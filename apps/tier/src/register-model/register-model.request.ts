import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** As a usage event or a decision names it: at most 64 characters, none a log or a URL would mangle. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class RegisterModelRequest {
  @ApiProperty({
    description: "The custom model's name; not one of the policy's shared models.",
    pattern: MODEL_NAME_PATTERN.source,
  })
  @Matches(MODEL_NAME_PATTERN, {
    message: 'name must be 1 to 64 of letters, digits, ., _, : and -, starting with a letter or digit',
  })
  name!: string;
}
