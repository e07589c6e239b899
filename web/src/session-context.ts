import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AuthAdapter, Session } from './auth/session.ts';
import type { Settings } from './settings.ts';

export interface SessionState {
  settings: Settings;
  auth: AuthAdapter;
  /** Who is signed in; undefined when nobody is. */
  session?: Session;
  /** Reads `GET /me` again (after signing in). */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionState | undefined>(undefined);

export const useSession = (): SessionState => {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside the SessionContext');
  return state;
};
