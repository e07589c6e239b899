import type { ComponentChildren } from 'preact';
import type { ArticleHit } from '../api/kb-types.ts';
import { ServerHtml } from './server-html.tsx';

/**
 * Knowledge-base hits as a list: the title (matched words marked) linking to the article's page,
 * the excerpt, and per hit whatever the page offers (`action`, e.g. "This solved it"). Articles
 * not public or not published (only the desk gets them) say so in words.
 */
export const ArticleHitList = ({
  hits,
  headingLevel = 3,
  newTab = false,
  action,
}: {
  hits: readonly ArticleHit[];
  headingLevel?: 2 | 3;
  /** Open articles in a new tab (a half-written form stays as it is). */
  newTab?: boolean;
  action?: (hit: ArticleHit) => ComponentChildren;
}) => {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="article-hits">
      {hits.map((hit) => (
        <li key={hit.id} class="article-hit">
          <Heading class="article-hit-title">
            <a
              href={`/kb/${encodeURIComponent(hit.id)}`}
              {...(newTab ? { target: '_blank', rel: 'noopener' } : {})}
            >
              <ServerHtml inline html={hit.titleHtml} />
              {newTab && <span class="visually-hidden"> (opens in a new tab)</span>}
            </a>
          </Heading>
          <ServerHtml class="article-hit-snippet" html={hit.snippet} />
          <p class="hint article-hit-meta">
            {hit.category}
            {hit.audience !== 'public' && <span class="badge">Internal</span>}
            {hit.status !== 'published' && <span class="badge">{hit.status}</span>}
          </p>
          {action?.(hit)}
        </li>
      ))}
    </ul>
  );
};
