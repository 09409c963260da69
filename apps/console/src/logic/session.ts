/** What a signed-in tab remembers: its token and the name its admin actions are recorded under. */
export interface StoredSession {
  token: string;
  actor: string;
}

/**
 * The tab's sessionStorage, never localStorage or a cookie: the token is gone when the tab closes, other
 * tabs do not share it, and it is never put in a URL (where history, logs and Referer headers keep it).
 */
export const SESSION_KEY = 'metergate.console.session';

type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function loadSession(storage: SessionStorageLike): StoredSession | undefined {
  const raw = storage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { token, actor } = value as Record<string, unknown>;
    if (typeof token !== 'string' || token === '' || typeof actor !== 'string') return undefined;
    return { token, actor };
  } catch {
    return undefined;
  }
}

export function saveSession(storage: SessionStorageLike, session: StoredSession): void {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(storage: SessionStorageLike): void {
  storage.removeItem(SESSION_KEY);
}
