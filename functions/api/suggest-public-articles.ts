import { apiHandler } from '#shared/http/api-handler';
import { hitsView, SuggestBodySchema } from '#shared/http/kb-schemas';
import { parseBody } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { kbIndexDepsFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, suggestArticles } from '#shared/kb/kb-service';

/** POST /kb/public/suggest: anonymous; public, published articles only */
export const suggestPublicArticles = (deps: Pick<KbDeps, 'index'>) =>
  apiHandler(async (event) => {
    const { limit, ...ticket } = parseBody(event, SuggestBodySchema);
    return json(200, hitsView(await suggestArticles(deps, undefined, ticket, limit)));
  });

export const handler = suggestPublicArticles(kbIndexDepsFromEnv());
