import { apiHandler } from '#shared/http/api-handler';
import { hitsView, SearchQuerySchema } from '#shared/http/kb-schemas';
import { parseQuery, sourceOf } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { kbIndexDepsFromEnv, requestWindowsFromEnv } from '#shared/kb/kb-deps';
import { type AnonymousKbDeps, publicSearch } from '#shared/kb/kb-service';

/** GET /kb/public/search?q=&limit=: anonymous, limited per address; public, published articles only */
export const searchPublicArticles = (deps: Pick<AnonymousKbDeps, 'index' | 'windows' | 'clock'>) =>
  apiHandler(async (event) => {
    const query = parseQuery(event, SearchQuerySchema);
    return json(200, hitsView(await publicSearch(deps, sourceOf(event), query)));
  });

export const handler = searchPublicArticles({ ...kbIndexDepsFromEnv(), ...requestWindowsFromEnv() });
