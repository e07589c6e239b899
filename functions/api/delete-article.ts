import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { ArticlePathSchema } from '#shared/http/kb-schemas';
import { parsePath, requireIfMatch } from '#shared/http/request';
import { articleStoreFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, removeArticle } from '#shared/kb/kb-service';

/** DELETE /kb/articles/{id} with If-Match */
export const deleteArticle = (deps: Pick<KbDeps, 'articles'>) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { id } = parsePath(event, ArticlePathSchema);
    const condition = requireIfMatch(event);
    await removeArticle(deps, principal, id, condition);
    return { statusCode: 204 };
  });

export const handler = deleteArticle({ articles: articleStoreFromEnv() });
