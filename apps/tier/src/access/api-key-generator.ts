import { Injectable } from '@nestjs/common';
import { API_KEY_RANDOM_BYTES, ApiKeyPurpose, formatApiKey } from '@metergate/policy';
import { randomBytes } from 'node:crypto';

/** The only place the tier service draws key secrets: from the operating system's CSPRNG. */
@Injectable()
export class ApiKeyGenerator {
  newKey(purpose: ApiKeyPurpose): string {
    return formatApiKey(purpose, randomBytes(API_KEY_RANDOM_BYTES));
  }
}
