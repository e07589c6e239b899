import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { hitsView, SearchQuerySchema } from '#shared/http/kb-schemas';
import { parseQuery } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { kbIndexDepsFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, searchArticles as search } from '#shared/kb/kb-service';

/** GET /kb/search?q=&limit=: ranked hits the caller may read, with highlighted snippets */
export const searchArticles = (deps: Pick<KbDeps, 'index'>) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const query = parseQuery(event, SearchQuerySchema);
    return json(200, hitsView(await search(deps, principal, query)));
  });

export const handler = searchArticles(kbIndexDepsFromEnv());
