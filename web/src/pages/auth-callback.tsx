import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { useSession } from '../session-context.ts';
import { Loading, Page } from '../ui/status.tsx';

/** `/auth/callback`: where Cognito managed login returns with the authorization code. */
export default function AuthCallback() {
  const { auth, refresh } = useSession();
  const { route } = useLocation();
  const [error, setError] = useState<string>();
  useEffect(() => {
    auth
      .completeSignIn()
      .then(async (returnTo) => {
        await refresh();
        route(returnTo, true);
      })
      .catch((failure: Error) => setError(failure.message));
  }, []);
  if (error) {
    return (
      <Page title="Signing in failed">
        <p class="notice notice-error" role="alert">
          {error}
        </p>
        <p>
          <a href="/sign-in">Try signing in again</a>
        </p>
      </Page>
    );
  }
  return <Loading what="Signing you in" />;
}
