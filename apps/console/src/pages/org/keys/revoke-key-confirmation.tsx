import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiKey } from '../../../api/types';

interface Props {
  apiKey: ApiKey;
  busy: boolean;
  onConfirm(reason: string | undefined): void;
  onCancel(): void;
}

/** Revoking cannot be undone: the admin confirms, optionally saying why, before anything is sent. */
export function RevokeKeyConfirmation({ apiKey, busy, onConfirm, onCancel }: Props) {
  const [reason, setReason] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [apiKey.keyId]);

  return (
    <form
      class="confirm"
      aria-labelledby="revoke-key-heading"
      onSubmit={(e) => {
        e.preventDefault();
        onConfirm(reason.trim() || undefined);
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <h3 id="revoke-key-heading" ref={heading} tabIndex={-1}>
        Revoke <code>{apiKey.prefix}</code> ({apiKey.name})?
      </h3>
      <p>
        The decision API refuses the key from then on, so every program that uses it stops working. This
        cannot be undone: a new key means a new secret.
      </p>
      <div class="inline-form">
        <div class="field">
          <label for="revoke-key-reason">Reason (optional)</label>
          <input
            id="revoke-key-reason"
            type="text"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="danger" disabled={busy}>
          Revoke key
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
