import { consoleUrlFromEnv, publicApiUrlFromEnv } from '#shared/kb/config';
import { kbIndexFromEnv } from '#shared/kb/kb-deps';
import { articleLink, publicSuggestions, type TicketText } from '#shared/kb/kb-service';
import type { ArticleSuggestion } from './plan.ts';

/**
 * The acknowledgment's Tier 0: the best public articles for the request, from the knowledge
 * base's index, linked to their page in the console when the stack names the console's address
 * (never to JSON a person cannot read), else to the API's public page. The mailer imports this
 * module with its first acknowledgment (`deps.ts`).
 */
export const articleSuggestionsFromEnv = () => {
  const index = kbIndexFromEnv();
  const bases = { consoleUrl: consoleUrlFromEnv(), apiUrl: publicApiUrlFromEnv() };
  return async (ticket: TicketText): Promise<ArticleSuggestion[]> =>
    (await publicSuggestions(index, ticket)).map((hit) => {
      const link = articleLink(hit.id, bases);
      return { title: hit.title, ...(link && { link }) };
    });
};
