import { apiHandler } from '#shared/http/api-handler';
import { hitsView, SuggestBodySchema } from '#shared/http/kb-schemas';
import { parseBody, sourceOf } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { kbIndexDepsFromEnv, requestWindowsFromEnv } from '#shared/kb/kb-deps';
import { type AnonymousKbDeps, publicSuggest } from '#shared/kb/kb-service';

/** POST /kb/public/suggest: anonymous, limited per address; public, published articles only */
export const suggestPublicArticles = (deps: Pick<AnonymousKbDeps, 'index' | 'windows' | 'clock'>) =>
  apiHandler(async (event) => {
    const { limit, ...ticket } = parseBody(event, SuggestBodySchema);
    return json(200, hitsView(await publicSuggest(deps, sourceOf(event), ticket, limit)));
  });

export const handler = suggestPublicArticles({ ...kbIndexDepsFromEnv(), ...requestWindowsFromEnv() });
