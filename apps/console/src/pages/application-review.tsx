import { useRef, useState } from 'preact/hooks';
import { useConsole } from '../console-context';
import type { Application } from '../api/types';

interface Props {
  application: Application;
  onDecided(message: string): void;
  onFailed(error: unknown): void;
}

/** An admin's decision on one application: approve with an optional note, or reject with a reason. */
export function ApplicationReview({ application, onDecided, onFailed }: Props) {
  const { api, announce } = useConsole();
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const reasonInput = useRef<HTMLTextAreaElement>(null);
  const id = application.applicationId;
  const org = application.orgId;

  const run = async (action: () => Promise<unknown>, message: string) => {
    setBusy(true);
    try {
      await action();
      announce(message);
      onDecided(message);
    } catch (error) {
      onFailed(error);
    } finally {
      setBusy(false);
    }
  };

  const approve = (event: Event) => {
    event.preventDefault();
    void run(() => api.approve(id, note.trim() || undefined), `Approved the application of ${org}.`);
  };

  const reject = (event: Event) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setReasonMissing(true);
      reasonInput.current?.focus();
      return;
    }
    setReasonMissing(false);
    void run(() => api.reject(id, reason.trim()), `Rejected the application of ${org}.`);
  };

  return (
    <div class="review">
      <form class="review-form" onSubmit={approve} aria-label={`Approve the application of ${org}`}>
        <label for={`note-${id}`}>Note (optional)</label>
        <textarea id={`note-${id}`} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        <button type="submit" class="primary" disabled={busy}>
          Approve
        </button>
      </form>
      <form class="review-form" onSubmit={reject} noValidate aria-label={`Reject the application of ${org}`}>
        <label for={`reason-${id}`}>Reason (required to reject)</label>
        <textarea
          id={`reason-${id}`}
          ref={reasonInput}
          rows={2}
          value={reason}
          aria-required="true"
          aria-invalid={reasonMissing ? 'true' : undefined}
          aria-describedby={reasonMissing ? `reason-error-${id}` : undefined}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        {reasonMissing && (
          <p id={`reason-error-${id}`} class="field-error" role="alert">
            A reason is required to reject an application: the organization sees it.
          </p>
        )}
        <button type="submit" class="danger" disabled={busy}>
          Reject
        </button>
      </form>
    </div>
  );
}
