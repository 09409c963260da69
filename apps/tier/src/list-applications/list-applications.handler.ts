import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccessEventStore, ApplicationRow } from '../access/access-event-store';
import { ApplicationListing, ListApplicationsQuery } from './list-applications.query';

@QueryHandler(ListApplicationsQuery)
export class ListApplicationsHandler implements IQueryHandler<ListApplicationsQuery> {
  constructor(private readonly store: AccessEventStore) {}

  async execute({ status, limit }: ListApplicationsQuery): Promise<ApplicationListing[]> {
    const rows = await this.store.listApplications(status, limit);
    return rows.map((row: ApplicationRow) => {
      const listing: ApplicationListing = {
        applicationId: row.application_id,
        orgId: row.org_id,
        status: row.status,
        useCase: row.use_case,
        intendedUse: row.intended_use,
        risks: row.risks,
        submittedBy: row.submitted_by,
        submittedAt: row.submitted_at.toISOString(),
      };
      if (row.decided_by !== null) listing.decidedBy = row.decided_by;
      if (row.decided_at !== null) listing.decidedAt = row.decided_at.toISOString();
      if (row.note !== null) listing.note = row.note;
      if (row.reason !== null) listing.reason = row.reason;
      return listing;
    });
  }
}
