import { Injectable } from '@nestjs/common';
import { AccessEvent, ApplicationStatus, FullAccessApplication } from '@metergate/policy';
import { DataSource, QueryFailedError } from 'typeorm';
import { inTransaction } from '@metergate/database';
import { AccessSql } from './access.sql';
import { ConcurrentChangeError, StoreUnavailableError } from './access-store.errors';

export interface StoredAccessEvent {
  version: number;
  eventId: string;
  event: AccessEvent;
  recordedAt: string;
}

export interface NewAccessEvent {
  version: number;
  eventId: string;
  event: AccessEvent;
  /** The serialized AccessEventV1 for the outbox. */
  message: string;
}

export interface AccessCommit {
  orgId: string;
  events: NewAccessEvent[];
  recordedAt: Date;
  /** Review-queue rows to write, as they stand after the events. */
  applications: FullAccessApplication[];
}

export interface ApplicationRow {
  application_id: string;
  org_id: string;
  status: ApplicationStatus;
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

const UNIQUE_VIOLATION = '23505';
const VERSION_CONSTRAINT = 'access_events_org_version_key';

/** The append-only event streams of organizations' access, with their outbox and review queue. */
@Injectable()
export class AccessEventStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(orgId: string): Promise<StoredAccessEvent[]> {
    this.requireConnected();
    const rows: { version: number; event_id: string; data: AccessEvent; recorded_at: Date }[] =
      await this.dataSource.query(AccessSql.loadStream, [orgId]);
    return rows.map((row) => ({
      version: row.version,
      eventId: row.event_id,
      event: row.data,
      recordedAt: row.recorded_at.toISOString(),
    }));
  }

  /**
   * Events, their outbox messages and the review queue commit together or not at all: nothing is
   * published that was not stored, and nothing stored is left unpublished.
   */
  async append(commit: AccessCommit): Promise<void> {
    this.requireConnected();
    try {
      await inTransaction(this.dataSource, async (tx) => {
        for (const { version, eventId, event, message } of commit.events) {
          await tx.query(AccessSql.appendEvent, [
            commit.orgId,
            version,
            eventId,
            event.type,
            JSON.stringify(event),
            event.by,
            event.at,
            commit.recordedAt,
          ]);
          await tx.query(AccessSql.enqueueOutbox, [commit.orgId, eventId, message]);
        }
        for (const a of commit.applications) {
          await tx.query(AccessSql.upsertApplication, [
            a.applicationId,
            commit.orgId,
            a.status,
            a.useCase,
            a.intendedUse,
            a.risks,
            a.submittedBy,
            a.submittedAt,
            a.decidedBy ?? null,
            a.decidedAt ?? null,
            a.note ?? null,
            a.reason ?? null,
          ]);
        }
      });
    } catch (error) {
      if (isVersionConflict(error))
        throw new ConcurrentChangeError(commit.orgId, commit.events[0]?.version ?? 0);
      throw error;
    }
  }

  async orgOfApplication(applicationId: string): Promise<string | undefined> {
    this.requireConnected();
    const rows: { org_id: string }[] = await this.dataSource.query(AccessSql.orgOfApplication, [
      applicationId,
    ]);
    return rows[0]?.org_id;
  }

  /** The review queue (or decided applications), oldest first. */
  async listApplications(status: ApplicationStatus, limit: number): Promise<ApplicationRow[]> {
    this.requireConnected();
    return this.dataSource.query(AccessSql.listApplications, [status, limit]);
  }

  private requireConnected(): void {
    if (!this.dataSource.isInitialized) throw new StoreUnavailableError();
  }
}

function isVersionConflict(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === UNIQUE_VIOLATION && driverError.constraint === VERSION_CONSTRAINT;
}
