import { apiHandler } from '#shared/http/api-handler';
import { ArticlePathSchema } from '#shared/http/kb-schemas';
import { articleResponse } from '#shared/http/kb-views';
import { parsePath } from '#shared/http/request';
import { articleStoreFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, readArticle } from '#shared/kb/kb-service';

/** GET /kb/public/articles/{id}: anonymous; public, published articles only */
export const getPublicArticle = (deps: Pick<KbDeps, 'articles'>) =>
  apiHandler(async (event) => {
    const { id } = parsePath(event, ArticlePathSchema);
    const article = await readArticle(deps, undefined, id);
    return articleResponse(article, { staff: false });
  });

export const handler = getPublicArticle({ articles: articleStoreFromEnv() });
