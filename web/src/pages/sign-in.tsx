import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { type DevPerson, isDevAuth } from '../auth/dev.ts';
import { useSession } from '../session-context.ts';
import { Loading, Page } from '../ui/status.tsx';

/**
 * `/sign-in`. On AWS it hands over to Cognito managed login at once. Locally it is the
 * development sign-in: the directory's people, one button each (or any email), signing in with a
 * dev token — it exists only where the local stack serves the token route.
 */
export default function SignIn() {
  const { auth, refresh } = useSession();
  const { query, route } = useLocation();
  const returnTo = query.returnTo?.startsWith('/') ? query.returnTo : '/';
  const [people, setPeople] = useState<DevPerson[]>();
  const [error, setError] = useState<string>();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const dev = isDevAuth(auth) ? auth : undefined;

  useEffect(() => {
    if (!dev) {
      void auth.signIn(returnTo);
      return;
    }
    dev.people().then(setPeople, (failure: Error) => setError(failure.message));
  }, []);

  const signInAs = async (who: string) => {
    if (!dev) return;
    setBusy(true);
    setError(undefined);
    try {
      // The session's own adapter mints the token: one mint, and the API client uses it at once.
      await dev.signInAs(who);
      await refresh();
      route(returnTo === '/' ? '/' : returnTo);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!dev) return <Loading what="Taking you to sign in" />;
  return (
    <Page title="Sign in (development)">
      <p class="hint">
        The local stack's development sign-in: choose who to be. On AWS this page is Cognito's managed login.
      </p>
      {error && (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!people && !error && <Loading what="Loading the people" />}
      {people && (
        <ul class="people-picker">
          {people.map((person) => (
            <li key={person.email}>
              <button type="button" disabled={busy} onClick={() => void signInAs(person.email)}>
                <strong>{person.name}</strong>
                <span>{person.email}</span>
                <span class="role">
                  {person.role}
                  {person.tiers.length > 0 ? ` · tier ${person.tiers.join(', ')}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (email.trim()) void signInAs(email.trim());
        }}
      >
        <label for="dev-email">
          Or sign in as any email (a requester unless the directory says otherwise)
        </label>
        <input
          id="dev-email"
          type="email"
          autocomplete="email"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {returnTo !== '/' && <p class="hint">You will be taken back to {returnTo}.</p>}
    </Page>
  );
}
