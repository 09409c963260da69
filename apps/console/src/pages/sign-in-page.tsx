import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  /** Checks the token with the tier app; resolves to an error message, or undefined once signed in. */
  onSignIn(token: string, actor: string): Promise<string | undefined>;
  /** Why the person is here again (a refused token, a sign-out). */
  notice?: string;
}

export function SignInPage({ onSignIn, notice }: Props) {
  const [token, setToken] = useState('');
  const [actor, setActor] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const tokenInput = useRef<HTMLInputElement>(null);

  useEffect(() => tokenInput.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (token.trim() === '') {
      setError('Enter your bearer token.');
      tokenInput.current?.focus();
      return;
    }
    setBusy(true);
    const problem = await onSignIn(token.trim(), actor.trim());
    setBusy(false);
    if (problem) {
      setError(problem);
      tokenInput.current?.focus();
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Metergate console</h1>
      <p>Sign in with the bearer token you use for the APIs. Analysts read; admins also review and act.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-describedby={error ? 'sign-in-error' : undefined}
      >
        <div class="field">
          <label for="token">Bearer token</label>
          <input
            id="token"
            ref={tokenInput}
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={token}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'sign-in-error' : undefined}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="actor">Your name or email</label>
          <input
            id="actor"
            type="text"
            autocomplete="email"
            value={actor}
            aria-describedby="actor-hint"
            onInput={(e) => setActor(e.currentTarget.value)}
          />
          <p id="actor-hint" class="hint">
            Recorded as the reviewer or admin of what you do here, in the organization's access history.
          </p>
        </div>
        {error && (
          <p id="sign-in-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="hint">
        The token is kept in this tab only, until you sign out or close it; it is never put in a link.
      </p>
    </main>
  );
}
