/**
 * The `entity` attribute of every item in the single table: what an item is, for the adapters
 * that read it back, for the stream consumers that react to it (and their event filters), and
 * for people reading the table. One name per kind of item, written only through these constants,
 * grouped by the context that owns the items (a bundle carries only the groups it uses).
 */

/**
 * Tickets, their timelines and clock facts, watcher links, listings, idempotency records and counters; who has a ticket
 * open in the console (`presence`, expiring; no stream consumer reacts to it) and the ticket's
 * attachment links (`attachment`: the event that lists a file, and where the file is).
 */
export const TICKET_ENTITY = {
  ticket: 'ticket',
  event: 'event',
  watcher: 'watcher',
  listing: 'ticket_listing',
  idempotency: 'idempotency',
  counter: 'counter',
  presence: 'presence',
  attachment: 'attachment',
  clockFacts: 'clock_facts',
} as const;

/** The people directory: entries and their tier memberships. */
export const DIRECTORY_ENTITY = {
  user: 'user',
  member: 'member',
} as const;

/** Each ticket's parked workflow (task token). */
export const WORKFLOW_ENTITY = {
  workflow: 'workflow',
} as const;

/** The desk's configuration. */
export const CONFIG_ENTITY = {
  current: 'config_current',
  pointer: 'config_pointer',
  version: 'config_version',
  record: 'config_record',
} as const;

/**
 * The knowledge base: articles, revisions, listings, deflection counters and the marks that count
 * a person's deflection once a day, and the request windows of anonymous sources.
 */
export const KB_ENTITY = {
  article: 'article',
  articleRevision: 'article_revision',
  articleListing: 'article_listing',
  kbCounter: 'kb_counter',
  deflectionMark: 'deflection_mark',
  requestWindow: 'request_window',
} as const;

/** The email channel: Message-IDs, dedupe and outbound claims, quarantine, suppressions, threads, daily counters. */
export const MAIL_ENTITY = {
  messageId: 'messageId',
  mailDedupe: 'mailDedupe',
  mailQuarantine: 'mailQuarantine',
  mailSuppression: 'mailSuppression',
  outboundMail: 'outboundMail',
  mailThread: 'mailThread',
  automaticMailCounter: 'automaticMailCounter',
  staffNotice: 'staffNotice',
} as const;

/**
 * Operations: incidents (an execution that failed, timed out or was stopped) with their listings
 * per status, ops jobs (bulk redrive, reconciliation), and stream batches that were dead-lettered.
 */
export const OPS_ENTITY = {
  incident: 'ops_incident',
  incidentListing: 'ops_incident_listing',
  job: 'ops_job',
  deadLetter: 'ops_dead_letter',
} as const;

/** Reports: the figures per day and dimensions, and the marks of records already counted. */
export const REPORT_ENTITY = {
  cell: 'report_cell',
  mark: 'report_mark',
} as const;

type ValueOf<T> = T[keyof T];

export type Entity =
  | ValueOf<typeof TICKET_ENTITY>
  | ValueOf<typeof DIRECTORY_ENTITY>
  | ValueOf<typeof WORKFLOW_ENTITY>
  | ValueOf<typeof CONFIG_ENTITY>
  | ValueOf<typeof KB_ENTITY>
  | ValueOf<typeof MAIL_ENTITY>
  | ValueOf<typeof OPS_ENTITY>
  | ValueOf<typeof REPORT_ENTITY>;
