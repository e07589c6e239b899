import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { ArticlePathSchema, ArticleRevisionSchema } from '#shared/http/kb-schemas';
import { parsePath, parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { PageQuerySchema } from '#shared/http/schemas';
import { pageView } from '#shared/http/views';
import { articleStoreFromEnv } from '#shared/kb/kb-deps';
import { articleHistory, type KbDeps } from '#shared/kb/kb-service';

/** GET /kb/articles/{id}/revisions: who changed what, when (the desk only) */
export const listArticleRevisions = (deps: Pick<KbDeps, 'articles'>) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { id } = parsePath(event, ArticlePathSchema);
    const page = parseQuery(event, PageQuerySchema);
    return json(
      200,
      pageView(await articleHistory(deps, principal, id, page), (revision) =>
        ArticleRevisionSchema.parse(revision),
      ),
    );
  });

export const handler = listArticleRevisions({ articles: articleStoreFromEnv() });
