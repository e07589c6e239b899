import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { ArticleSummarySchema, ListArticlesQuerySchema } from '#shared/http/kb-schemas';
import { parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { pageView } from '#shared/http/views';
import { articleStoreFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, listArticles as list } from '#shared/kb/kb-service';

/** GET /kb/articles?tag=&category=&cursor=&limit= */
export const listArticles = (deps: Pick<KbDeps, 'articles'>) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const query = parseQuery(event, ListArticlesQuerySchema);
    return json(
      200,
      pageView(await list(deps, principal, query), (summary) => ArticleSummarySchema.parse(summary)),
    );
  });

export const handler = listArticles({ articles: articleStoreFromEnv() });
