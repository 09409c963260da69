import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/api-client';
import type { Role } from './api/types';

export interface ConsoleSession {
  api: ApiClient;
  role: Role;
  /** The name admin actions are recorded under (reviewer, X-Actor). */
  actor: string;
  /** Ends the session, e.g. when the token stops being accepted; the message says why. */
  signOut(message?: string): void;
  /** Says something to screen readers (and shows it) without moving the focus. */
  announce(message: string): void;
}

export const ConsoleContext = createContext<ConsoleSession | undefined>(undefined);

export function useConsole(): ConsoleSession {
  const session = useContext(ConsoleContext);
  if (!session) throw new Error('useConsole outside a signed-in console');
  return session;
}
