import { LimitOverride } from '../limits/limit-override';
import { ApiKeyPurpose } from './api-key';
import { AccessRules } from './access.state';

export type AccessCommand =
  | {
      type: 'SubmitFullAccessApplication';
      applicationId: string;
      useCase: string;
      intendedUse: string;
      risks: string;
      commitment: boolean;
      submittedBy: string;
    }
  | { type: 'ApproveApplication'; applicationId: string; reviewer: string; note?: string }
  | { type: 'RejectApplication'; applicationId: string; reviewer: string; reason: string }
  | { type: 'ChangeTier'; tier: string; reason: string; changedBy: string }
  | { type: 'SuspendOrganization'; reason: string; suspendedBy: string }
  | { type: 'ReinstateOrganization'; reason?: string; reinstatedBy: string }
  | { type: 'SetLimitOverride'; endpoint: string; override: LimitOverride; setBy: string }
  | { type: 'RemoveLimitOverride'; endpoint: string; removedBy: string }
  | {
      type: 'IssueApiKey';
      keyId: string;
      /** The new secret, drawn outside (see formatApiKey); only its digest and prefix are kept. */
      key: string;
      purpose: ApiKeyPurpose;
      name: string;
      issuedBy: string;
      reason?: string;
    }
  | { type: 'RevokeApiKey'; keyId: string; revokedBy: string; reason?: string }
  | { type: 'RegisterModel'; model: string; registeredBy: string };

/** What a decision may depend on besides the state: the clock and the policy, passed in. */
export interface DecisionContext {
  now: Date;
  rules: AccessRules;
}
