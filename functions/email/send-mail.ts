import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SESClient } from '@aws-sdk/client-ses';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { SesTransport } from '#shared/email/adapters/ses';
import { mailConfigFromEnv } from '#shared/email/config';
import type { MailerDeps, MailOutcome, SkipReason } from '#shared/email/outbound/mailer';
import type { ArticleSuggestion } from '#shared/email/outbound/plan';
import { loadTemplates } from '#shared/email/outbound/render';
import { sendMailForRecords } from '#shared/email/outbound/stream';
import { PUBLIC_API_URL_VARIABLE } from '#shared/kb/config';
import { kbIndexFromEnv } from '#shared/kb/kb-deps';
import { publicArticlePath, publicSuggestions, type TicketText } from '#shared/kb/kb-service';
import { logger, metrics, tracer } from '#shared/runtime/observability';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { ticketDepsFromEnv } from '#shared/tickets/deps';

/**
 * Outbound mail: the table's stream (new timeline events only, by the event source mapping's
 * filter, `SEND_MAIL_FILTER` in `#shared/email/outbound/filter`) → this function → SES.
 * Acknowledgments, public replies, pending/resolved notices, CSAT requests, vendor hand-offs
 * and reminders, and the workflow's notices to agents. Partial batch responses
 * (ReportBatchItemFailures): a failed send fails its record, and the retry sends what is missing.
 *
 * The templates are read from `templates/` beside the bundled handler (the CDK bundle copies
 * `shared/email/templates/` there) or from the source tree when run unbundled.
 */

const SKIP_METRICS: Record<SkipReason, string> = {
  'support-address': 'MailSkippedOwnAddress',
  suppressed: 'MailSkippedSuppressed',
  'daily-cap': 'MailSkippedDailyCap',
  'already-claimed': 'MailSkippedDuplicate',
};

const count = (outcomes: MailOutcome[]): void => {
  for (const outcome of outcomes) {
    metrics.addMetric(
      outcome.result === 'sent' ? 'MailSent' : SKIP_METRICS[outcome.reason],
      MetricUnit.Count,
      1,
    );
  }
};

export const sendMail = (deps: MailerDeps) => {
  const send = sendMailForRecords(deps, count);
  return middy(async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
    try {
      return await send(event);
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  })
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }));
};

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
  };
};

/**
 * The acknowledgment's Tier 0: the best public articles for the request, from the knowledge
 * base's index, linked to their public page when the stack names the API's address.
 */
const articleSuggestionsFromEnv = () => {
  const index = kbIndexFromEnv();
  const base = process.env[PUBLIC_API_URL_VARIABLE]?.replace(/\/$/, '');
  return async (ticket: TicketText): Promise<ArticleSuggestion[]> =>
    (await publicSuggestions(index, ticket)).map((hit) => ({
      title: hit.title,
      ...(base && { link: `${base}${publicArticlePath(hit.id)}` }),
    }));
};

export const handler = sendMail(sendMailDepsFromEnv());
