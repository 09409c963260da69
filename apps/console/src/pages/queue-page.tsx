import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error';
import type { Application } from '../api/types';
import { LoadState } from '../components/load-state';
import { OrgLink } from '../components/org-link';
import { useConsole } from '../console-context';
import { usePolling } from '../hooks';
import { ApplicationReview } from './application-review';
import { ApplicationUsage } from './application-usage';
import { formatDateTime, formatRelative } from '../logic/format';

export function QueuePage() {
  const { api, role } = useConsole();
  const queue = usePolling(() => api.pendingApplications(), [api]);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string }>();

  const decided = (message: string, ok: boolean) => {
    setOutcome({ ok, message });
    queue.refresh();
  };

  return (
    <>
      <h1>Review queue</h1>
      <p class="lead">
        Pending applications for full access, oldest first.
        {role === 'analyst' && ' You are signed in as an analyst: admins review them.'}
      </p>
      {outcome && (
        <p class={outcome.ok ? 'success' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.message}
        </p>
      )}
      <LoadState polled={queue}>
        {(applications) =>
          applications.length === 0 ? (
            <p class="empty">No application is waiting for review.</p>
          ) : (
            <ol class="cards" aria-label="Pending applications">
              {applications.map((application) => (
                <li key={application.applicationId}>
                  <ApplicationCard application={application} onDecided={decided} />
                </li>
              ))}
            </ol>
          )
        }
      </LoadState>
    </>
  );
}

function ApplicationCard({
  application,
  onDecided,
}: {
  application: Application;
  onDecided(message: string, ok: boolean): void;
}) {
  const { role } = useConsole();
  const headingId = `application-${application.applicationId}`;
  return (
    <article class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <OrgLink orgId={application.orgId} />
      </h2>
      <p class="muted">
        Submitted by {application.submittedBy}{' '}
        <time dateTime={application.submittedAt} title={formatDateTime(application.submittedAt)}>
          {formatRelative(application.submittedAt, new Date())}
        </time>{' '}
        · application {application.applicationId}
      </p>
      <dl class="facts">
        <dt>Use case</dt>
        <dd>{application.useCase}</dd>
        <dt>Intended use</dt>
        <dd>{application.intendedUse}</dd>
        <dt>Risks and mitigations</dt>
        <dd>{application.risks}</dd>
        <dt>Commitment</dt>
        {/* The API refuses an application without it, so every queued one has made it. */}
        <dd>Accepted the usage guidelines</dd>
      </dl>
      <ApplicationUsage orgId={application.orgId} />
      {role === 'admin' && (
        <ApplicationReview
          application={application}
          onDecided={(message) => onDecided(message, true)}
          onFailed={(error) =>
            onDecided(
              `Could not decide the application of ${application.orgId}: ${describeError(error)}`,
              false,
            )
          }
        />
      )}
    </article>
  );
}
