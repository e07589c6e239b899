import type { ComponentChildren } from 'preact';
import { NEXT_STEP, type ProblemError } from '../api/problem.ts';

/** The loading state of a request: announced to screen readers, quiet for everyone else. */
export const Loading = ({ what = 'Loading' }: { what?: string }) => (
  <p class="loading" role="status" aria-live="polite">
    <span class="spinner" aria-hidden="true" /> {what}…
  </p>
);

/** A failed request: what went wrong, what to do next, and a retry where one makes sense. */
export const ErrorNotice = ({ error, retry }: { error: ProblemError; retry?: () => void }) => (
  <div class="notice notice-error" role="alert">
    <p>
      <strong>{error.title}</strong>
      {error.detail ? ` — ${error.detail}` : ''}
    </p>
    {error.errors.length > 0 && (
      <ul>
        {error.errors.map((issue) => (
          <li key={issue.field}>
            {issue.field}: {issue.message}
          </li>
        ))}
      </ul>
    )}
    <p class="hint">{NEXT_STEP[error.status] ?? 'Try again; if it keeps failing, tell the desk’s admins.'}</p>
    {[403, 404].includes(error.status) && (
      <p>
        <a href="/">Back to your start page</a>
      </p>
    )}
    {/* Trying again cannot change a refusal or an absence: a link back serves better there. */}
    {retry && ![403, 404].includes(error.status) && (
      <button type="button" onClick={retry}>
        Try again
      </button>
    )}
  </div>
);

/** A page's frame: its heading (the page title too) and content. */
export const Page = ({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) => {
  if (typeof document !== 'undefined') document.title = `${title} · Tierdesk`;
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">{title}</h1>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
};
