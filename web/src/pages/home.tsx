import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { homeOf } from '../auth/session.ts';
import { useSession } from '../session-context.ts';
import { Page } from '../ui/status.tsx';

/** `/`: signed in, your start page; otherwise what Tierdesk is, sign in, or the knowledge base. */
export default function Home() {
  const { session } = useSession();
  const { route } = useLocation();
  useEffect(() => {
    if (session) route(homeOf(session), true);
  }, [session]);
  if (session) return null;
  return (
    <Page title="IT help desk">
      <p>
        Sign in to open a ticket and follow your tickets, or look for an answer in the knowledge base first.
      </p>
      <p class="actions">
        <a class="button primary" href="/sign-in?returnTo=%2F">
          Sign in
        </a>
        <a class="button" href="/kb">
          Search the knowledge base
        </a>
      </p>
    </Page>
  );
}
