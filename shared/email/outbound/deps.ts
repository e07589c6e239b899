import { SESClient } from '@aws-sdk/client-ses';
import { hasCsatKeys } from '#shared/csat/config';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { SesTransport } from '#shared/email/adapters/ses';
import { publicApiUrlFromEnv } from '#shared/kb/config';
import { onFirstUse } from '#shared/runtime/lazy';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { mailConfigFromEnv } from '../config.ts';
import type { MailerDeps } from './mailer.ts';
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

/**
 * The survey link, when the stack set a CSAT key and names the API's address. Only the closing
 * mail carries one: the keyring (Secrets Manager client) loads with its first.
 */
const surveyLinkFromEnv = (): Pick<MailerDeps, 'surveyLink'> => {
  const base = publicApiUrlFromEnv();
  if (!base || !hasCsatKeys()) return {};
  return { surveyLink: onFirstUse(async () => (await import('./survey-links.ts')).surveyLinks(base)) };
};

/**
 * The acknowledgment's Tier 0 articles. Only a new ticket's acknowledgment carries them: the
 * search index's loader (S3 client, MiniSearch) loads with its first.
 */
const articleSuggestionsFromEnv = (): MailerDeps['suggest'] =>
  onFirstUse(async () => (await import('./suggestions.ts')).articleSuggestionsFromEnv());
