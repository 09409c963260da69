import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccessSql } from '../access/access.sql';
import { ApplicationListing, ListApplicationsQuery } from './list-applications.query';

interface ApplicationRow {
  application_id: string;
  org_id: string;
  status: ApplicationListing['status'];
  use_case: string;
  intended_use: string;
  risks: string;
  submitted_by: string;
  submitted_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
  reason: string | null;
}

@QueryHandler(ListApplicationsQuery)
export class ListApplicationsHandler implements IQueryHandler<ListApplicationsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ status, limit }: ListApplicationsQuery): Promise<ApplicationListing[]> {
    const rows: ApplicationRow[] = await this.dataSource.query(AccessSql.listApplications, [status, limit]);
    return rows.map((row) => {
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
