import { SESClient } from '@aws-sdk/client-ses';
import { csatKeyringFromEnv, hasCsatKeys } from '#shared/csat/config';
import { surveyToken } from '#shared/csat/csat-service';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { SesTransport } from '#shared/email/adapters/ses';
import { consoleUrlFromEnv, publicApiUrlFromEnv } from '#shared/kb/config';
import { kbIndexFromEnv } from '#shared/kb/kb-deps';
import { articleLink, publicSuggestions, type TicketText } from '#shared/kb/kb-service';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { mailConfigFromEnv } from '../config.ts';
import type { MailerDeps } from './mailer.ts';
import type { ArticleSuggestion } from './plan.ts';
import { loadTemplates } from './render.ts';

/** What the function runs on, wired from the environment (the stack or the local stack sets it). */
export const sendMailDepsFromEnv = (): MailerDeps => {
  const tickets = ticketDepsFromEnv();
  return {
    tickets: tickets.store,
    directory: tickets.directory,
    config: tickets.config,
    mail: new DynamoMailStore(documentClient(), tableNameFromEnv(), tickets.clock),
    transport: new SesTransport(new SESClient({})),
    templates: loadTemplates(),
    settings: mailConfigFromEnv(),
    clock: tickets.clock,
    suggest: articleSuggestionsFromEnv(),
    ...surveyLinkFromEnv(),
  };
};

/** The survey link, when the stack set a CSAT key and names the API's address. */
const surveyLinkFromEnv = (): Pick<MailerDeps, 'surveyLink'> => {
  const base = publicApiUrlFromEnv();
  if (!base || !hasCsatKeys()) return {};
  const keyring = csatKeyringFromEnv();
  return { surveyLink: async (ticket) => `${base}/csat/${await surveyToken(keyring, ticket)}` };
};

/**
 * The acknowledgment's Tier 0: the best public articles for the request, from the knowledge
 * base's index, linked to their page in the console when the stack names the console's address
 * (never to JSON a person cannot read), else to the API's public page.
 */
const articleSuggestionsFromEnv = () => {
  const index = kbIndexFromEnv();
  const bases = { consoleUrl: consoleUrlFromEnv(), apiUrl: publicApiUrlFromEnv() };
  return async (ticket: TicketText): Promise<ArticleSuggestion[]> =>
    (await publicSuggestions(index, ticket)).map((hit) => {
      const link = articleLink(hit.id, bases);
      return { title: hit.title, ...(link && { link }) };
    });
};
