import type { TargetedEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { query } from '../../api/client.ts';
import type { ArticleHits } from '../../api/kb-types.ts';
import { useSession } from '../../session-context.ts';
import { ArticleHitList } from '../../ui/article-hits.tsx';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';

/**
 * `/kb?q=…`: the knowledge base's search, for anyone. The query lives in the address, so a
 * search can be linked and reloaded. Without a sign-in it asks the public search (published,
 * public articles); signed in, the caller's own (the same for requesters; the desk also finds its
 * internal articles, marked as such).
 */
export default function KnowledgeBaseSearch() {
  const { session } = useSession();
  const { query: params, route } = useLocation();
  const q = (params.q ?? '').trim();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const search = query({ q, limit: 20 });
  const hits = useApi<ArticleHits>(
    q ? (session ? `/kb/search${search}` : `/kb/public/search${search}`) : undefined,
    { anonymous: !session },
  );

  const submit = (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wanted = text.trim();
    route(wanted ? `/kb${query({ q: wanted })}` : '/kb');
  };

  return (
    <Page title="Knowledge base">
      <search>
        <form class="kb-search" onSubmit={submit}>
          <label for="kb-q">Search for an answer</label>
          <div class="kb-search-row">
            <input
              id="kb-q"
              name="q"
              type="search"
              maxLength={500}
              placeholder="e.g. VPN, password, printer"
              value={text}
              onInput={(event) => setText(event.currentTarget.value)}
            />
            <button type="submit" class="primary">
              Search
            </button>
          </div>
        </form>
      </search>
      {!q && (
        <p class="hint">
          Type what is not working in a few words. Articles written by the help desk answer the most common
          questions.
        </p>
      )}
      {q && hits.error && <ErrorNotice error={hits.error} retry={() => void hits.reload()} />}
      {q && hits.loading && <Loading what="Searching" />}
      {q && hits.data && (
        <section aria-labelledby="kb-results-title">
          <h2 id="kb-results-title" aria-live="polite">
            {hits.data.items.length === 0
              ? `No articles match “${q}”`
              : `${hits.data.items.length} ${hits.data.items.length === 1 ? 'article' : 'articles'} for “${q}”`}
          </h2>
          {hits.data.items.length === 0 ? (
            <p>
              Try other words, or{' '}
              {session ? (
                <a href="/new">open a ticket</a>
              ) : (
                <a href="/sign-in?returnTo=%2Fnew">sign in and open a ticket</a>
              )}
              .
            </p>
          ) : (
            <ArticleHitList hits={hits.data.items} />
          )}
        </section>
      )}
    </Page>
  );
}
