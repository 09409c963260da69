import { useEffect, useRef, useState } from 'preact/hooks';
import type { IssuedApiKey } from '../../../api/types';
import { copyText } from '../../../logic/api-key-form';

interface Props {
  issued: IssuedApiKey;
  /** The person has stored the key: it leaves the page (and the console's memory) for good. */
  onDone(): void;
}

/**
 * A key just issued, shown this once: the tier app keeps only its digest. The focus moves to the key, which
 * is selected, so that it can be copied with the button or the keyboard.
 */
export function NewKeySecret({ issued, onDone }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<{ ok: boolean; message: string }>();

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [issued.keyId]);

  const onCopy = async () => {
    if (await copyText(navigator.clipboard, issued.key)) {
      setCopy({ ok: true, message: 'Copied to the clipboard.' });
      return;
    }
    input.current?.focus();
    input.current?.select();
    setCopy({
      ok: false,
      message: 'The browser did not let the console copy it: the key is selected, copy it with Ctrl+C (⌘C).',
    });
  };

  return (
    <div class="new-key" role="group" aria-labelledby="new-key-heading">
      <h3 id="new-key-heading">
        New {issued.purpose} key <code>{issued.prefix}</code> ({issued.name})
      </h3>
      <p class="notice">
        <strong>Copy this key now: it is shown only this once.</strong> Metergate stores only its digest, so
        nobody can show it again. Keep it in a secret store; if it is lost or leaks, revoke it and issue
        another.
      </p>
      <div class="field">
        <label for="new-key-value">The key</label>
        <div class="secret-row">
          <input
            id="new-key-value"
            ref={input}
            class="secret-value"
            type="text"
            readOnly
            value={issued.key}
            autocomplete="off"
            spellcheck={false}
            onFocus={(e) => e.currentTarget.select()}
          />
          <button type="button" class="primary" onClick={() => void onCopy()}>
            Copy
          </button>
        </div>
      </div>
      <p class={copy && !copy.ok ? 'field-error' : 'hint'} role="status">
        {copy?.message}
      </p>
      <button type="button" onClick={onDone}>
        I have stored it: hide the key
      </button>
    </div>
  );
}
