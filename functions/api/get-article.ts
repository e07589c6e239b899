import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { ArticlePathSchema } from '#shared/http/kb-schemas';
import { articleResponse } from '#shared/http/kb-views';
import { parsePath } from '#shared/http/request';
import { articleStoreFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, readArticle } from '#shared/kb/kb-service';
import { isKbStaff } from '#shared/kb/visibility';

/** GET /kb/articles/{id}: as the caller may read it (requesters: public, published only) */
export const getArticle = (deps: Pick<KbDeps, 'articles'>) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { id } = parsePath(event, ArticlePathSchema);
    const article = await readArticle(deps, principal, id);
    return articleResponse(article, { staff: isKbStaff(principal) });
  });

export const handler = getArticle({ articles: articleStoreFromEnv() });
