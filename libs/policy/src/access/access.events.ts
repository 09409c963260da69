import { LimitOverride } from '../org-usage';

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
  | (Attribution & { type: 'LimitOverrideRemoved'; endpoint: string });

export type AccessEventType = AccessEvent['type'];
