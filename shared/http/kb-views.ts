import type { Article } from '#shared/kb/article';
import { renderMarkdown } from '#shared/kb/render';
import { ArticleSchema } from './kb-schemas.ts';
import { etag, json } from './responses.ts';

/**
 * An article as a caller sees it: Markdown and its sanitized HTML; the desk also sees who wrote
 * it and the tickets it is linked to, which are nobody else's business.
 */
export const articleView = (article: Article, { staff }: { staff: boolean }) => {
  const { createdBy, updatedBy, linkedTickets, ...shown } = article;
  return ArticleSchema.parse({
    ...shown,
    html: renderMarkdown(article.body),
    ...(staff ? { createdBy, updatedBy, linkedTickets } : {}),
  });
};

/** An article answered with its version as the ETag (what `If-Match` on a change names). */
export const articleResponse = (article: Article, { staff }: { staff: boolean }, status = 200) =>
  json(status, articleView(article, { staff }), { etag: etag(article.version) });
