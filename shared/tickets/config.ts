import { optionalEnv } from '#shared/runtime/env';

/**
 * The ticket use cases' deployment settings. The stack (or the local stack) sets:
 *
 * - `TIERDESK_ORG_DOMAINS`: comma-separated mail domains of the organization (`example.com,
 *   example.org`). A requester may name watchers of these domains only when filing through the
 *   API; the desk may name anyone. Unset: requesters name no watchers at all. (The desk
 *   configuration will own the list once it can be administered.)
 * - `TIERDESK_ATTACHMENT_BUCKET`: where attachment files are kept (uploads and mail attachments).
 */

export const TICKET_VARIABLES = {
  orgDomains: 'TIERDESK_ORG_DOMAINS',
  /** The bucket attachment files are kept in (the mail bucket): set for the functions that take or serve them. */
  attachmentBucket: 'TIERDESK_ATTACHMENT_BUCKET',
} as const;

/**
 * Where uploaded files wait and stay (`uploads/<ticket>/<id>`), beside the mail intake's
 * `attachments/` in the same bucket: a prefix of their own, so the functions that take uploads
 * may write there and nowhere else.
 */
export const UPLOAD_PREFIX = 'uploads/';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A comma-separated list of mail domains, lower-cased, without duplicates; a value that is not
 * a domain fails loudly (at synth for the CDK context, at cold start for the variable).
 */
export const parseOrgDomains = (list: string): string[] => {
  const domains = list
    .split(',')
    .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  const invalid = domains.filter((domain) => !DOMAIN.test(domain));
  if (invalid.length > 0) {
    throw new Error(
      `The organization's mail domains must be domains (example.com,example.org), not ${invalid.join(', ')}.`,
    );
  }
  return [...new Set(domains)];
};

export const orgDomainsFromEnv = (env: NodeJS.ProcessEnv = process.env): string[] =>
  parseOrgDomains(optionalEnv(TICKET_VARIABLES.orgDomains, env) ?? '');
