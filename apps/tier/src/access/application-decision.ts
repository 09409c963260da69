import { AccessAggregate, ApplicationStatus, findApplication } from '@metergate/policy';

/** What approving or rejecting answers with. */
export interface ApplicationDecision {
  applicationId: string;
  orgId: string;
  status: ApplicationStatus;
  tier: string;
}

export function toApplicationDecision(state: AccessAggregate, applicationId: string): ApplicationDecision {
  const status = findApplication(state, applicationId)?.status ?? 'pending';
  return { applicationId, orgId: state.orgId, status, tier: state.tier };
}
