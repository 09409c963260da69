import type { ComponentChildren } from 'preact';
import { describeError } from '../api/api-error';
import { formatDateTime } from '../logic/format';
import type { Polled } from '../hooks';

/**
 * What a polled section shows around its figures: a loading line until the first answer, the error of a
 * failed refresh (the last figures stay), and when they were last updated.
 */
export function LoadState<T>({
  polled,
  children,
}: {
  polled: Polled<T>;
  children: (data: T) => ComponentChildren;
}) {
  return (
    <>
      {polled.error !== undefined && (
        <p class="error" role="alert">
          {describeError(polled.error)}
        </p>
      )}
      {polled.data === undefined ? (
        polled.error === undefined && <p class="muted">Loading…</p>
      ) : (
        <>
          {children(polled.data)}
          {polled.updatedAt && (
            <p class="updated muted">
              Updated{' '}
              <time dateTime={polled.updatedAt.toISOString()}>{formatDateTime(polled.updatedAt)}</time>;
              refreshes every few seconds.
            </p>
          )}
        </>
      )}
    </>
  );
}
