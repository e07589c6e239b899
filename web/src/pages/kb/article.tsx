import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { api } from '../../api/client.ts';
import type { Article } from '../../api/kb-types.ts';
import type { ProblemError } from '../../api/problem.ts';
import { isStaff } from '../../auth/session.ts';
import { useSession } from '../../session-context.ts';
import { formatDateTime } from '../../ui/format.ts';
import { problemOf } from '../../ui/problem-of.ts';
import { ServerHtml } from '../../ui/server-html.tsx';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';

/**
 * `/kb/:id`: one article, for anyone (the links in mail open this page). Its body is the HTML the
 * API rendered from the Markdown and sanitized; the console inserts nothing else as HTML. "Did
 * this help?" counts a deflection: signed in as the requester they are, or anonymously.
 */

const Feedback = ({ id, signedIn }: { id: string; signedIn: boolean }) => {
  const [answer, setAnswer] = useState<'yes' | 'no'>();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ProblemError>();
  const helped = async () => {
    setSending(true);
    setProblem(undefined);
    try {
      await (signedIn
        ? api.post('/kb/deflections', { articleId: id })
        : api.post('/kb/public/deflections', { articleId: id }, { anonymous: true }));
      setAnswer('yes');
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setSending(false);
    }
  };
  return (
    <section class="card kb-feedback" aria-labelledby="kb-feedback-title">
      <h2 id="kb-feedback-title">Did this help?</h2>
      {problem && <ErrorNotice error={problem} />}
      {answer === undefined && (
        <p class="actions">
          <button type="button" class="primary" disabled={sending} onClick={() => void helped()}>
            Yes, this solved it
          </button>
          <button type="button" disabled={sending} onClick={() => setAnswer('no')}>
            No
          </button>
        </p>
      )}
      <div role="status">
        {answer === 'yes' && <p>Thank you: glad it helped. No ticket is needed.</p>}
        {answer === 'no' && (
          <p>
            Sorry it did not.{' '}
            {signedIn ? (
              <a href="/new">Open a ticket</a>
            ) : (
              <a href="/sign-in?returnTo=%2Fnew">Sign in and open a ticket</a>
            )}{' '}
            and the desk will help.
          </p>
        )}
      </div>
    </section>
  );
};

export default function KnowledgeBaseArticle() {
  const { session } = useSession();
  const { params } = useRoute();
  const id = params.id ?? '';
  const path = session
    ? `/kb/articles/${encodeURIComponent(id)}`
    : `/kb/public/articles/${encodeURIComponent(id)}`;
  const article = useApi<Article>(id ? path : undefined, { anonymous: !session });

  if (article.error) {
    return (
      <Page title={article.error.status === 404 ? 'Article not found' : 'The article could not be loaded'}>
        <ErrorNotice error={article.error} retry={() => void article.reload()} />
        <p>
          <a href="/kb">Search the knowledge base</a>
        </p>
      </Page>
    );
  }
  if (!article.data) return <Loading what="Loading the article" />;
  const shown = article.data;
  return (
    <Page title={shown.title}>
      <p class="hint article-meta">
        {shown.category} · updated <time dateTime={shown.updatedAt}>{formatDateTime(shown.updatedAt)}</time>
        {shown.audience !== 'public' && <span class="badge">Internal</span>}
        {shown.status !== 'published' && <span class="badge">{shown.status}</span>}
      </p>
      <article class="card article-body" aria-label={shown.title}>
        <ServerHtml html={shown.html} />
      </article>
      {!isStaff(session) && <Feedback id={shown.id} signedIn={session !== undefined} />}
      <p>
        <a href="/kb">Back to the knowledge base</a>
      </p>
    </Page>
  );
}
