import { apiHandler } from '#shared/http/api-handler';
import { hitsView, SearchQuerySchema } from '#shared/http/kb-schemas';
import { parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { kbIndexDepsFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, searchArticles } from '#shared/kb/kb-service';

/** GET /kb/public/search?q=&limit=: anonymous; public, published articles only */
export const searchPublicArticles = (deps: Pick<KbDeps, 'index'>) =>
  apiHandler(async (event) => {
    const query = parseQuery(event, SearchQuerySchema);
    return json(200, hitsView(await searchArticles(deps, undefined, query)));
  });

export const handler = searchPublicArticles(kbIndexDepsFromEnv());
