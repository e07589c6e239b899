import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { NewArticleBodySchema } from '#shared/http/kb-schemas';
import { articleView } from '#shared/http/kb-views';
import { parseBody } from '#shared/http/request';
import { etag, json } from '#shared/http/responses';
import { kbDepsFromEnv } from '#shared/kb/kb-deps';
import { addArticle, type KbDeps } from '#shared/kb/kb-service';
import { MetricUnit, metrics } from '#shared/runtime/observability';

/** POST /kb/articles: the desk writes an article (a draft unless a publisher publishes it) */
export const createArticle = (deps: KbDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const body = parseBody(event, NewArticleBodySchema);
    const article = await addArticle(deps, principal, body);
    metrics.addMetric('ArticlesCreated', MetricUnit.Count, 1);
    return json(201, articleView(article, { staff: true }), {
      etag: etag(article.version),
      location: `/kb/articles/${article.id}`,
    });
  });

export const handler = createArticle(kbDepsFromEnv());
