/**
 * The `entity` attribute of every item in the single table: what an item is, for the adapters
 * that read it back, for the stream consumers that react to it (and their event filters), and
 * for people reading the table. One name per kind of item, written only through these constants.
 */
export const ENTITY = {
  ticket: 'ticket',
  event: 'event',
  watcher: 'watcher',
  idempotency: 'idempotency',
  counter: 'counter',
  user: 'user',
  member: 'member',
  workflow: 'workflow',
  policy: 'policy',
  currentPolicy: 'policy_current',
  calendar: 'calendar',
  vendor: 'vendor',
  group: 'group',
  routingRule: 'routing_rule',
  article: 'article',
  articleRevision: 'article_revision',
  articleListing: 'article_listing',
  kbCounter: 'kb_counter',
  messageId: 'messageId',
  mailDedupe: 'mailDedupe',
  mailQuarantine: 'mailQuarantine',
  mailSuppression: 'mailSuppression',
  outboundMail: 'outboundMail',
  mailThread: 'mailThread',
  automaticMailCounter: 'automaticMailCounter',
} as const;

export type Entity = (typeof ENTITY)[keyof typeof ENTITY];
