import type { Organization } from '../../api/types';
import { describeHistoryEntry, timeline } from '../../logic/access-history';
import { formatDateTime } from '../../logic/format';

/** Every change to the organization's access, newest first: what, who, when and why. */
export function HistorySection({ organization }: { organization: Organization }) {
  const entries = timeline(organization.history);
  const keyPrefixes = new Map(organization.apiKeys.map((key) => [key.keyId, key.prefix]));
  return (
    <section aria-labelledby="history-heading" class="panel">
      <h2 id="history-heading">Access history</h2>
      {entries.length === 0 ? (
        <p class="empty">No change yet: the organization is on the default tier since its first call.</p>
      ) : (
        <ol class="timeline">
          {entries.map((entry) => {
            const item = describeHistoryEntry(entry, keyPrefixes);
            return (
              <li key={entry.eventId}>
                <p class="timeline-what">{item.what}</p>
                <p class="muted">
                  by {entry.by}, <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </p>
                {item.why && <blockquote class="timeline-why">{item.why}</blockquote>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
