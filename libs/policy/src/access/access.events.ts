import { LimitOverride } from '../limits/limit-override';
import { ApiKeyPurpose } from './api-key';

/** Who did it and when; every fact carries both. */
interface Attribution {
  /** The reviewer, admin or submitter. */
  by: string;
  /** RFC 3339. */
  at: string;
}

export type AccessEvent =
  | (Attribution & {
      type: 'FullAccessRequested';
      applicationId: string;
      useCase: string;
      intendedUse: string;
      risks: string;
      commitment: true;
    })
  | (Attribution & {
      type: 'FullAccessApproved';
      applicationId: string;
      from: string;
      tier: string;
      note?: string;
    })
  | (Attribution & { type: 'FullAccessRejected'; applicationId: string; reason: string })
  | (Attribution & { type: 'TierChanged'; from: string; to: string; reason: string })
  | (Attribution & { type: 'OrganizationSuspended'; reason: string })
  | (Attribution & { type: 'OrganizationReinstated'; reason?: string })
  | (Attribution & { type: 'LimitOverrideSet'; endpoint: string; override: LimitOverride })
  | (Attribution & { type: 'LimitOverrideRemoved'; endpoint: string })
  | (Attribution & {
      type: 'ApiKeyIssued';
      keyId: string;
      prefix: string;
      purpose: ApiKeyPurpose;
      name: string;
      /** SHA-256 (hex) of the secret; the secret itself is in no event. */
      keyDigest: string;
      reason?: string;
    })
  | (Attribution & { type: 'ApiKeyRevoked'; keyId: string; reason?: string })
  | (Attribution & { type: 'ModelRegistered'; model: string });

export type AccessEventType = AccessEvent['type'];
