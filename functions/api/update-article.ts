import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { ArticlePatchBodySchema, ArticlePathSchema } from '#shared/http/kb-schemas';
import { articleResponse } from '#shared/http/kb-views';
import { parseBody, parsePath, requireIfMatch } from '#shared/http/request';
import { articleWriterDepsFromEnv } from '#shared/kb/kb-deps';
import { editArticle, type KbDeps } from '#shared/kb/kb-service';
import { renderArticleBody } from '#shared/kb/render';

/** PUT /kb/articles/{id} with If-Match (an ETag, or `*` for whatever version is current) */
export const updateArticle = (deps: Pick<KbDeps, 'articles' | 'clock'>) => {
  // The HTML is rendered here, once per version, and kept with the article (`rendered.ts`).
  const writer = { ...deps, render: renderArticleBody };
  return apiHandler(async (event) => {
    const principal = principalOf(event);
    const { id } = parsePath(event, ArticlePathSchema);
    const body = parseBody(event, ArticlePatchBodySchema);
    const condition = requireIfMatch(event);
    const article = await editArticle(writer, principal, id, body, condition);
    return articleResponse(article, { staff: true });
  });
};

export const handler = updateArticle(articleWriterDepsFromEnv());
