import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { ErrorBoundary } from 'preact-iso/lazy';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import { type ConsoleRoute, mayOpen, ROUTES } from './routes.ts';
import { useSession } from './session-context.ts';
import { Page } from './ui/status.tsx';

/** The console: a header with the navigation the signed-in person may use, and the routed page. */

const Header = () => {
  const { session, settings, signOut } = useSession();
  const { path } = useLocation();
  const links = ROUTES.filter(
    (route) => route.nav && (session ? mayOpen(route.access, session.role) : route.access === 'public'),
  );
  return (
    <header class="app-header">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <a class="brand" href="/">
        {settings.deskName ?? 'Tierdesk'}
      </a>
      <nav aria-label="Main">
        <ul>
          {links.map((route) => (
            <li key={route.path}>
              <a
                href={route.path}
                aria-current={path === route.path || path.startsWith(`${route.path}/`) ? 'page' : undefined}
              >
                {route.nav}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="account">
        {session ? (
          <>
            <span class="who" title={session.email}>
              {session.name ?? session.email} <span class="role">({session.role})</span>
            </span>
            <button type="button" class="link" onClick={() => void signOut()}>
              Sign out
            </button>
          </>
        ) : (
          <a href={`/sign-in?returnTo=${encodeURIComponent(path)}`}>Sign in</a>
        )}
      </div>
    </header>
  );
};

/** Opens a page for those its route admits: others are sent to sign in, or told they may not. */
const Guarded = ({ route, props }: { route: ConsoleRoute; props: Record<string, unknown> }) => {
  const { session, auth } = useSession();
  const { url } = useLocation();
  const needsSignIn = route.access !== 'public' && !session;
  useEffect(() => {
    if (needsSignIn) void auth.signIn(url);
  }, [needsSignIn, url]);
  if (needsSignIn) return <Page title="Signing in">{null}</Page>;
  if (!mayOpen(route.access, session?.role)) {
    return (
      <Page title="Not for your role">
        <p>This page is for {Array.isArray(route.access) ? route.access.join(', ') : 'signed-in people'}.</p>
        <p>
          <a href="/">Back to your start page</a>
        </p>
      </Page>
    );
  }
  const Component = route.page;
  return <Component {...props} />;
};

/** One component per route, made once (a component made while rendering would remount every time). */
const GUARDED = ROUTES.map((route) => ({
  route,
  component: (props: Record<string, unknown>) => <Guarded route={route} props={props} />,
}));

const NotFound = () => (
  <Page title="Page not found">
    <p>There is no page at this address.</p>
    <p>
      <a href="/">Back to your start page</a>
    </p>
  </Page>
);

const Main = ({ children }: { children: ComponentChildren }) => (
  <main id="main" tabIndex={-1}>
    {children}
  </main>
);

export const App = () => (
  <LocationProvider>
    <Header />
    <Main>
      <ErrorBoundary>
        {/* After a navigation, focus moves to the page (screen readers announce it; Tab starts there). */}
        <Router onRouteChange={() => document.getElementById('main')?.focus({ preventScroll: true })}>
          {[
            ...GUARDED.map(({ route, component }) => (
              <Route key={route.path} path={route.path} component={component} />
            )),
            <Route key="404" default component={NotFound} />,
          ]}
        </Router>
      </ErrorBoundary>
    </Main>
  </LocationProvider>
);
