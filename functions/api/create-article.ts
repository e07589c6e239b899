import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { NewArticleBodySchema } from '#shared/http/kb-schemas';
import { articleView } from '#shared/http/kb-views';
import { parseBody } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { articleWriterDepsFromEnv } from '#shared/kb/kb-deps';
import { addArticle, type KbDeps } from '#shared/kb/kb-service';
import { renderArticleBody } from '#shared/kb/render';
import { MetricUnit, metrics } from '#shared/runtime/observability';

/** POST /kb/articles: the desk writes an article (a draft unless a publisher publishes it) */
export const createArticle = (deps: Pick<KbDeps, 'articles' | 'clock'>) => {
  // The HTML is rendered here, once per version, and kept with the article (`rendered.ts`).
  const writer = { ...deps, render: renderArticleBody };
  return apiHandler(async (event) => {
    const principal = principalOf(event);
    const body = parseBody(event, NewArticleBodySchema);
    const article = await addArticle(writer, principal, body);
    metrics.addMetric('ArticlesCreated', MetricUnit.Count, 1);
    return json(201, await articleView(article, { staff: true }), {
      etag: etag(article.version),
      location: `/kb/articles/${article.id}`,
    });
  });
};

export const handler = createArticle(articleWriterDepsFromEnv());
