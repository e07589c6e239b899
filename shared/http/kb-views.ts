import type { Article } from '#shared/kb/article';
import { keptHtml } from '#shared/kb/rendered';
import { loadOnce } from '#shared/runtime/lazy';
import { ArticleSchema } from './kb-schemas.ts';
import { etag, json } from './responses.ts';

/**
 * The renderer, for an article whose HTML was not kept (written before HTML was kept, by a
 * renderer since changed, or too large): a chunk of its own, so reading carries no Markdown
 * parser at cold start.
 */
const renderer = loadOnce(async () => (await import('#shared/kb/render')).renderArticleForReading);

/** The body's sanitized HTML: the one its writer kept, or rendered now. */
const htmlOf = async (article: Article): Promise<string> =>
  keptHtml(article) ?? (await renderer())(article.body);

/**
 * An article as a caller sees it: Markdown and its sanitized HTML; the desk also sees who wrote
 * it and the tickets it is linked to, which are nobody else's business.
 */
export const articleView = async (article: Article, { staff }: { staff: boolean }) => {
  const { createdBy, updatedBy, linkedTickets, rendered: _kept, ...shown } = article;
  return ArticleSchema.parse({
    ...shown,
    html: await htmlOf(article),
    ...(staff ? { createdBy, updatedBy, linkedTickets } : {}),
  });
};

/** An article answered with its version as the ETag (what `If-Match` on a change names). */
export const articleResponse = async (article: Article, { staff }: { staff: boolean }, status = 200) =>
  json(status, await articleView(article, { staff }), { etag: etag(article.version) });
