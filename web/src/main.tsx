import { render } from 'preact';
import { useState } from 'preact/hooks';
import { api, configureApi } from './api/client.ts';
import { App } from './app.tsx';
import { devAuth } from './auth/dev.ts';
import type { AuthAdapter, Session } from './auth/session.ts';
import { SessionContext } from './session-context.ts';
import { loadSettings, type Settings } from './settings.ts';
import './styles.css';
import './styles/portal.css';
import './styles/desk.css';
import './styles/ops.css';
import './styles/admin.css';

/**
 * Starts the console: reads the runtime settings, picks the sign-in adapter they name (the OIDC
 * one is loaded only when asked for), restores a sign-in and asks the API who that is.
 */

const whoAmI = async (): Promise<Session | undefined> => {
  try {
    return (await api.get<Session>('/me')).data;
  } catch {
    return undefined;
  }
};

const Root = ({ settings, auth, initial }: { settings: Settings; auth: AuthAdapter; initial?: Session }) => {
  const [session, setSession] = useState(initial);
  return (
    <SessionContext.Provider
      value={{
        settings,
        auth,
        session,
        refresh: async () => setSession(await whoAmI()),
        // A full page load afterwards: nothing of the signed-in person stays in memory.
        signOut: async () => {
          await auth.signOut();
          if (auth.kind === 'dev') location.assign('/');
        },
      }}
    >
      <App />
    </SessionContext.Provider>
  );
};

const start = async () => {
  const root = document.getElementById('app');
  if (!root) return;
  try {
    const settings = await loadSettings();
    const auth: AuthAdapter =
      settings.auth.kind === 'dev'
        ? devAuth(settings.auth.devUrl)
        : (await import('./auth/oidc.ts')).oidcAuth(settings.auth);
    configureApi({
      url: settings.apiUrl,
      token: () => auth.token(),
      // A session the API no longer accepts (expired, revoked): sign in again, back to this page.
      onUnauthorized: () => void auth.signIn(`${location.pathname}${location.search}`),
    });
    const signedIn = location.pathname === '/auth/callback' ? false : await auth.restore();
    const session = signedIn ? await whoAmI() : undefined;
    root.replaceChildren();
    render(<Root settings={settings} auth={auth} initial={session} />, root);
  } catch (error) {
    root.innerHTML = '';
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = `The console could not start: ${(error as Error).message}. Reload the page; if it persists, tell the desk's admins.`;
    root.append(message);
  }
};

void start();
