import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client';
import { ApiError, describeError } from './api/api-error';
import type { Role } from './api/types';
import { ConsoleContext, type ConsoleSession } from './console-context';
import { useHashRoute } from './hooks';
import { routeHref, routeTitle, type Route } from './logic/routes';
import { clearSession, loadSession, saveSession } from './logic/session';
import { DenialsPage } from './pages/denials-page';
import { OrgPage } from './pages/org/org-page';
import { QueuePage } from './pages/queue-page';
import { SignInPage } from './pages/sign-in-page';
import { TopPage } from './pages/top-page';
import { OrgJump } from './components/org-jump';

interface SignedIn {
  api: ApiClient;
  role: Role;
  actor: string;
}

/** Checks a token with the tier app and finds its role; the service role has no console. */
async function signIn(token: string, actor: string): Promise<SignedIn> {
  const probe = new ApiClient({ token, actor });
  const role = await probe.whoami();
  const name = actor || `console-${role}`;
  return { api: new ApiClient({ token, actor: name }), role, actor: name };
}

function signInProblem(error: unknown): string {
  if (error instanceof ApiError && error.status === 403) {
    return 'This token is not an analyst or admin token: the console needs one of those.';
  }
  return describeError(error);
}

export function App() {
  const [session, setSession] = useState<SignedIn>();
  const [restoring, setRestoring] = useState(true);
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    const stored = loadSession(sessionStorage);
    if (!stored) return setRestoring(false);
    signIn(stored.token, stored.actor)
      .then(setSession, (error: unknown) => {
        clearSession(sessionStorage);
        setNotice(signInProblem(error));
      })
      .finally(() => setRestoring(false));
  }, []);

  const onSignIn = useCallback(async (token: string, actor: string) => {
    try {
      const signedIn = await signIn(token, actor);
      saveSession(sessionStorage, { token, actor });
      setNotice(undefined);
      setSession(signedIn);
      return undefined;
    } catch (error) {
      return signInProblem(error);
    }
  }, []);

  const signOut = useCallback((message?: string) => {
    clearSession(sessionStorage);
    setSession(undefined);
    setNotice(message ?? 'You are signed out.');
  }, []);

  if (restoring) return <p class="muted">Loading…</p>;
  if (!session) return <SignInPage onSignIn={onSignIn} notice={notice} />;
  return <SignedInConsole session={session} signOut={signOut} />;
}

function SignedInConsole({ session, signOut }: { session: SignedIn; signOut(message?: string): void }) {
  const route = useHashRoute();
  const [announcement, setAnnouncement] = useState('');
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  const context = useMemo<ConsoleSession>(
    () => ({ ...session, signOut, announce: setAnnouncement }),
    [session, signOut],
  );

  // A new page moves the focus to its content and names it in the title, as a page load would.
  const title = routeTitle(route);
  useEffect(() => {
    document.title = `${title} · Metergate console`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    setAnnouncement('');
    main.current?.focus();
  }, [title]);

  return (
    <ConsoleContext.Provider value={context}>
      <a class="skip-link" href="#main" onClick={skipToMain(main)}>
        Skip to content
      </a>
      <header class="top-bar">
        <a class="brand" href={routeHref({ page: 'queue' })}>
          Metergate
        </a>
        <nav aria-label="Pages">
          <ul>
            <NavLink route={route} to={{ page: 'queue' }} label="Review queue" />
            <NavLink route={route} to={{ page: 'top' }} label="Top organizations" />
            <NavLink route={route} to={{ page: 'denials' }} label="Denials" />
          </ul>
        </nav>
        <OrgJump />
        <div class="who">
          <span>
            {session.actor} · <strong>{session.role}</strong>
          </span>
          <button type="button" class="link-button" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} />
      </main>
      <div class="announcer" role="status" aria-live="polite">
        {announcement}
      </div>
    </ConsoleContext.Provider>
  );
}

function skipToMain(main: { current: HTMLElement | null }) {
  return (event: MouseEvent) => {
    // The fragment addresses pages, so the skip link moves the focus itself instead of navigating.
    event.preventDefault();
    main.current?.focus();
  };
}

function NavLink({ route, to, label }: { route: Route | undefined; to: Route; label: string }) {
  const current = route?.page === to.page;
  return (
    <li>
      <a href={routeHref(to)} aria-current={current ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
}

function Page({ route }: { route: Route | undefined }) {
  switch (route?.page) {
    case undefined:
      return (
        <>
          <h1>Page not found</h1>
          <p>
            This address names no page of the console. Go to the{' '}
            <a href={routeHref({ page: 'queue' })}>review queue</a>.
          </p>
        </>
      );
    case 'queue':
      return <QueuePage />;
    case 'org':
      return <OrgPage key={route.orgId} orgId={route.orgId} />;
    case 'denials':
      return <DenialsPage />;
    case 'top':
      return <TopPage />;
  }
}
