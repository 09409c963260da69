import { UsageLimits } from '../usage/usage-limits';
import { TextField } from './text-field';

/**
 * The one definition of the text fields a call is described by, wherever it is described: ingest's
 * usage events (HTTP and Kafka), the decision API's checks and the admissions they publish, and every
 * consumer's decoder. An edge that accepts a value under these rules hands consumers a value they decode.
 */
export const CallFields = {
  /**
   * The call's idempotency key: a usage event's `id` and a check's `requestId`, which name the same call
   * when both exist (the admission and its usage are counted once together).
   */
  callId: { kind: 'key', maxLength: UsageLimits.maxIdLength },
  orgId: { kind: 'identifier', maxLength: UsageLimits.maxOrgIdLength },
  userId: { kind: 'identifier', maxLength: UsageLimits.maxOrgIdLength },
  /** The API key a call was made with (issue 13): an id like the organization's, not the secret. */
  keyId: { kind: 'identifier', maxLength: UsageLimits.maxOrgIdLength },
  endpoint: { kind: 'name', maxLength: UsageLimits.maxEndpointLength },
  model: { kind: 'name', maxLength: UsageLimits.maxModelLength },
} as const satisfies Record<string, TextField>;
