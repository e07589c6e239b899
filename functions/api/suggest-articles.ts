import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { hitsView, SuggestBodySchema } from '#shared/http/kb-schemas';
import { parseBody } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { kbIndexDepsFromEnv } from '#shared/kb/kb-deps';
import { type KbDeps, suggestArticles as suggest } from '#shared/kb/kb-service';

/** POST /kb/suggest: the best published articles for a ticket being written */
export const suggestArticles = (deps: Pick<KbDeps, 'index'>) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { limit, ...ticket } = parseBody(event, SuggestBodySchema);
    return json(200, hitsView(await suggest(deps, principal, ticket, limit)));
  });

export const handler = suggestArticles(kbIndexDepsFromEnv());
