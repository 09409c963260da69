/** Stable codes: clients and the admin CLI may branch on them; messages are for people. */
export const AccessErrorCodes = {
  applicationNotFound: 'ACCESS.APPLICATION_NOT_FOUND',
  applicationAlreadyDecided: 'ACCESS.APPLICATION_ALREADY_DECIDED',
  applicationPending: 'ACCESS.APPLICATION_PENDING',
  notEligibleToApply: 'ACCESS.NOT_ELIGIBLE_TO_APPLY',
  commitmentRequired: 'ACCESS.COMMITMENT_REQUIRED',
  organizationSuspended: 'ACCESS.ORGANIZATION_SUSPENDED',
  alreadySuspended: 'ACCESS.ALREADY_SUSPENDED',
  notSuspended: 'ACCESS.NOT_SUSPENDED',
  alreadyOnTier: 'ACCESS.ALREADY_ON_TIER',
  unknownTier: 'ACCESS.UNKNOWN_TIER',
  unknownEndpoint: 'ACCESS.UNKNOWN_ENDPOINT',
  emptyLimitOverride: 'ACCESS.EMPTY_LIMIT_OVERRIDE',
  invalidLimit: 'ACCESS.INVALID_LIMIT',
  invalidLimitWindow: 'ACCESS.INVALID_LIMIT_WINDOW',
  duplicateLimit: 'ACCESS.DUPLICATE_LIMIT',
  unknownModel: 'ACCESS.UNKNOWN_MODEL',
  noLimitOverride: 'ACCESS.NO_LIMIT_OVERRIDE',
  productionKeyRequiresFullAccess: 'ACCESS.PRODUCTION_KEY_REQUIRES_FULL_ACCESS',
  malformedApiKey: 'ACCESS.MALFORMED_API_KEY',
  apiKeyIdTaken: 'ACCESS.API_KEY_ID_TAKEN',
  tooManyApiKeys: 'ACCESS.TOO_MANY_API_KEYS',
  apiKeyNotFound: 'ACCESS.API_KEY_NOT_FOUND',
  apiKeyAlreadyRevoked: 'ACCESS.API_KEY_ALREADY_REVOKED',
  modelRequiresFullAccess: 'ACCESS.MODEL_REQUIRES_FULL_ACCESS',
  modelNameTaken: 'ACCESS.MODEL_NAME_TAKEN',
  tooManyModels: 'ACCESS.TOO_MANY_MODELS',
} as const;

export type AccessErrorCode = (typeof AccessErrorCodes)[keyof typeof AccessErrorCodes];

/** What kind of refusal it is; each transport maps these to its own statuses in one place. */
export type AccessErrorKind = 'not-found' | 'forbidden-transition' | 'invalid-input';

const kinds: Record<AccessErrorCode, AccessErrorKind> = {
  'ACCESS.APPLICATION_NOT_FOUND': 'not-found',
  'ACCESS.NO_LIMIT_OVERRIDE': 'not-found',
  'ACCESS.API_KEY_NOT_FOUND': 'not-found',
  'ACCESS.APPLICATION_ALREADY_DECIDED': 'forbidden-transition',
  'ACCESS.APPLICATION_PENDING': 'forbidden-transition',
  'ACCESS.NOT_ELIGIBLE_TO_APPLY': 'forbidden-transition',
  'ACCESS.ORGANIZATION_SUSPENDED': 'forbidden-transition',
  'ACCESS.ALREADY_SUSPENDED': 'forbidden-transition',
  'ACCESS.NOT_SUSPENDED': 'forbidden-transition',
  'ACCESS.ALREADY_ON_TIER': 'forbidden-transition',
  'ACCESS.PRODUCTION_KEY_REQUIRES_FULL_ACCESS': 'forbidden-transition',
  'ACCESS.API_KEY_ID_TAKEN': 'forbidden-transition',
  'ACCESS.TOO_MANY_API_KEYS': 'forbidden-transition',
  'ACCESS.API_KEY_ALREADY_REVOKED': 'forbidden-transition',
  'ACCESS.MODEL_REQUIRES_FULL_ACCESS': 'forbidden-transition',
  'ACCESS.MODEL_NAME_TAKEN': 'forbidden-transition',
  'ACCESS.TOO_MANY_MODELS': 'forbidden-transition',
  'ACCESS.COMMITMENT_REQUIRED': 'invalid-input',
  'ACCESS.UNKNOWN_TIER': 'invalid-input',
  'ACCESS.UNKNOWN_ENDPOINT': 'invalid-input',
  'ACCESS.EMPTY_LIMIT_OVERRIDE': 'invalid-input',
  'ACCESS.INVALID_LIMIT': 'invalid-input',
  'ACCESS.INVALID_LIMIT_WINDOW': 'invalid-input',
  'ACCESS.DUPLICATE_LIMIT': 'invalid-input',
  'ACCESS.UNKNOWN_MODEL': 'invalid-input',
  'ACCESS.MALFORMED_API_KEY': 'invalid-input',
};

/** A command the rules refuse. `field` names the offending input for invalid-input refusals. */
export class AccessError extends Error {
  readonly kind: AccessErrorKind;

  constructor(
    readonly code: AccessErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AccessError';
    this.kind = kinds[code];
  }
}
