import { Query } from '@nestjs/cqrs';
import { ApplicationStatus } from '@metergate/policy';

export interface ApplicationListing {
  applicationId: string;
  orgId: string;
  status: ApplicationStatus;
  useCase: string;
  intendedUse: string;
  risks: string;
  submittedBy: string;
  submittedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  note?: string;
  reason?: string;
}

/** The review queue (or the decided applications), oldest first. */
export class ListApplicationsQuery extends Query<ApplicationListing[]> {
  constructor(
    readonly status: ApplicationStatus,
    readonly limit: number,
  ) {
    super();
  }
}
